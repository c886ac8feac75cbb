import type { Report } from '../core/report.js';
import type { ReportEntry, WebQueries } from '../store/queries/index.js';

/** One report of the deployment, as the web app names it. */
export interface WebReport {
  id: string;
  title?: string;
  language: 'zh' | 'en';
  /** Ids of the sources it reads (config), for `/sources?report=`. */
  sources?: readonly string[];
}

/** What the web app reads: the store's named queries, the report files, the clock and the config's few settings. */
export interface WebData {
  queries: WebQueries;
  /** A published report as its JSON file holds it; undefined when the file is missing or not a report. */
  readReport(entry: ReportEntry): Report | undefined;
  /** The ranking weights the score parts were multiplied by (scaled to sum to 1). */
  weights: Readonly<Record<string, number>>;
  /** The configured report language (the default of `/reports/:date` for a report not in `reports`). */
  language: 'zh' | 'en';
  /**
   * The deployment's reports (config `reports:`; one, `default`, without), in the config's order:
   * their ids, titles and languages. With more than one, pages name the report and links carry it.
   */
  reports: readonly WebReport[];
  siteTitle: string;
  now(): Date;
}
