import type { Report } from '../core/report.js';
import type { ReportEntry, WebQueries } from '../store/queries/index.js';

/** What the web app reads: the store's named queries, the report files, the clock and the config's few settings. */
export interface WebData {
  queries: WebQueries;
  /** A published report as its JSON file holds it; undefined when the file is missing or not a report. */
  readReport(entry: ReportEntry): Report | undefined;
  /** The ranking weights the score parts were multiplied by (scaled to sum to 1). */
  weights: Readonly<Record<string, number>>;
  /** The configured report language (the default of `/reports/:date`). */
  language: 'zh' | 'en';
  siteTitle: string;
  now(): Date;
}
