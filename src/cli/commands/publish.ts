import path from 'node:path';
import { type GlobalOptions, loadCheckedConfig } from '../../app/context.js';
import { checkDateOption } from '../../app/daily-run.js';
import {
  type PublishSummary,
  publishingConfigured,
  publishReport,
  readWrittenReport,
} from '../../app/publish-report.js';
import { acquireRunLock } from '../../app/run-lock.js';
import { reportConfig } from '../../config/report-config.js';
import { ConfigError } from '../../core/errors.js';
import { localDate } from '../../core/time.js';
import { toStoreError } from '../../store/errors.js';
import { Store } from '../../store/store.js';

export interface PublishCommandOptions extends GlobalOptions {
  /** YYYY-MM-DD; default: today in the configured time zone. */
  date?: string;
  out?: string;
  lang?: 'zh' | 'en';
  /** The report of the config (`reports:`) to publish; needed when it has several. */
  report?: string;
  /** Post again to channels whose earlier delivery state is unknown (a crash mid-post, or a post never answered). */
  redeliver?: boolean;
  waitMs?: number;
  now?: Date;
}

export interface PublishCommandSummary extends PublishSummary {
  /** The report's id (`default` for a config without `reports:`). */
  report: string;
  date: string;
  language: 'zh' | 'en';
  files: string[];
}

/**
 * `ai-daily publish`: publishes a report an earlier run wrote (git, then the channels) without
 * collecting or rendering anything. Idempotent: git commits nothing unchanged and the ledger never
 * posts a report to a channel twice. Holds the day's run lock, so it never races a run.
 */
export async function publishCommand(options: PublishCommandOptions): Promise<PublishCommandSummary> {
  checkDateOption(options.date);
  // The config as the report sees it: its channels, its language, its folder.
  const { config, definition } = reportConfig(loadCheckedConfig(options), options.report);
  if (!publishingConfigured(config)) {
    throw new ConfigError('nothing to publish to: the config has no publish.git and no publish.channels');
  }
  const cwd = options.cwd ?? process.cwd();
  const outDir = path.resolve(cwd, options.out ?? config.output.dir, definition.output);
  const language = options.lang ?? config.language;
  const date = options.date ?? localDate(options.now ?? new Date(), config.timezone);
  const written = readWrittenReport(outDir, date, language, config.language);
  const lock = await acquireRunLock(outDir, { date, language }, { waitMs: options.waitMs });
  const store = await Store.connect(config.store, { cwd });
  try {
    const summary = await publishReport({ config, store, log: options.log, reportId: definition.id }, written, {
      redeliver: options.redeliver === true,
    });
    return { report: definition.id, date, language, files: written.files, ...summary };
  } catch (error) {
    throw toStoreError(error, store.file);
  } finally {
    await store.close();
    lock.release();
  }
}
