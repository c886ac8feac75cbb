/**
 * Every report of the config for one day (`reports:`, src/config/reports.ts): the sources they read
 * are collected once — by the first report's run, in its `collect` stage — and each report is
 * then written from the same store, one after another, each with its own run, lock, memory,
 * files and deliveries. One report failing never stops the others.
 */
import { collectedSourceIds, findReport } from '../config/report-config.js';
import type { ReportDefinition } from '../config/reports.js';
import { errorMessage, ReportsFailedError } from '../core/errors.js';
import type { CollectSummary } from './collect.js';
import type { RunContext } from './context.js';
import { type DailyRunOptions, type RunSummary, runDaily } from './daily-run.js';

export interface ReportsRunOptions extends Omit<DailyRunOptions, 'collect'> {
  /**
   * Collects the sources whose ids are given (`undefined`: every enabled source) with the id of
   * the run that collects; absent → every report is written from what the store holds.
   */
  collect?: (runId: string, sourceIds: string[] | undefined) => Promise<CollectSummary>;
}

/** The reports a run makes: the one named by `report`, else every report of the config, in order. */
export function reportsToRun(context: Pick<RunContext, 'config'>, report: string | undefined): ReportDefinition[] {
  return report === undefined ? context.config.reports : [findReport(context.config, report)];
}

/**
 * Writes each report of the day (or the one `options.report` names), collecting once. Returns a
 * summary per report. One report failing does not stop the others: after them, a
 * `ReportsFailedError` carries the written reports' summaries and each failure (a run of one
 * report throws its own error, as `runDaily` does).
 */
export async function runReports(context: RunContext, options: ReportsRunOptions): Promise<RunSummary[]> {
  const reports = reportsToRun(context, options.report);
  const { collect, ...rest } = options;
  // The sources these reports read (a config without `reports:` collects as it always did: every enabled source).
  const sourceIds = collectedSourceIds(context.config.sources, reports);
  let collected: Promise<CollectSummary> | undefined;
  const collectOnce = collect ? (runId: string) => (collected ??= collect(runId, sourceIds)) : undefined;

  const summaries: RunSummary[] = [];
  const failures: { report: string; error: unknown }[] = [];
  for (const definition of reports) {
    try {
      summaries.push(
        await runDaily(context, { ...rest, report: definition.id, ...(collectOnce ? { collect: collectOnce } : {}) }),
      );
    } catch (error) {
      if (reports.length === 1) throw error;
      context.log.debug(`report ${definition.id} failed: ${errorMessage(error)}`);
      failures.push({ report: definition.id, error });
    }
  }
  if (failures.length > 0) throw new ReportsFailedError(summaries, failures);
  return summaries;
}
