/**
 * Publishing a written report, in the application layer: `ai-daily run` calls it after the files
 * are in place, `ai-daily publish` calls it for a report written earlier. The publishers (git)
 * run first, so that a channel's link to the report page points at something published; a
 * publisher's failure stops there (it throws: nothing is announced that is not published, and the
 * next run or `publish` tries again). Then every delivery channel, each through the delivery
 * ledger (src/publish/channels/deliver.ts): a channel that already has the report is not posted to
 * again, one failing channel does not stop the others, and the failures come back in the summary
 * for the caller to report (the CLI exits 1 with their reasons).
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/load.js';
import { errorMessage, NothingToReportError, OutputError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { DEFAULT_REPORT_ID, type Report } from '../core/report.js';
import { sleep } from '../core/sleep.js';
import { createPolicedFetch, createPolicedHostCheck } from '../http/live-transport.js';
import type { ChannelContext, ChannelMessage } from '../publish/channels/channel.js';
import { type DeliveryOutcome, deliverReport } from '../publish/channels/deliver.js';
import { createChannels } from '../publish/channels/registry.js';
import { reportPaths } from '../publish/files.js';
import type { PublishOutcome } from '../publish/publisher.js';
import { createPublishers } from '../publish/registry.js';
import { REPORT_SCHEMA_VERSION } from '../render/json.js';
import type { Store } from '../store/store.js';
import { SITE_PATHS } from './site-files.js';

/** A report as it lies in the output folder, ready to publish. */
export interface WrittenReport {
  outDir: string;
  date: string;
  language: 'zh' | 'en';
  report: Report;
  markdown: string;
  html: string;
  /** The report page, relative to `outDir`. */
  htmlPath: string;
  /** Every file of the report to publish, relative to `outDir`: the report's own, index, feeds, demo. */
  files: string[];
}

export interface PublishSummary {
  /** One outcome per publisher (git), in config order. */
  publishers: PublishOutcome[];
  /** One outcome per delivery channel, in config order. */
  channels: DeliveryOutcome[];
  /** Ids of the channels that failed this time (a later run or `ai-daily publish` tries them again). */
  failedChannels: string[];
}

/** What publishing needs from its caller: the config, the store (the ledger) and a log. */
export interface PublishContext {
  config: Config;
  store: Store;
  log: Logger;
  /** The report's id (src/config/reports.ts): its deliveries are its own in the ledger. Default `default`. */
  reportId?: string;
  /** Overrides for tests: the channels' fetch, host check and retry wait. */
  channelContext?: Partial<ChannelContext>;
}

/** The absolute address of a published file, when the site's address is configured. */
export function publicUrl(siteUrl: string | undefined, relative: string): string | undefined {
  if (siteUrl === undefined) return undefined;
  const base = siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`;
  return new URL(relative, base).href;
}

/** Whether the config asks for anything beyond writing the files. */
export function publishingConfigured(config: Pick<Config, 'publish'>): boolean {
  return config.publish.git !== undefined || config.publish.channels.length > 0;
}

/** Publishes a written report: publishers first, then every channel through the ledger. */
export async function publishReport(
  context: PublishContext,
  written: WrittenReport,
  options: { redeliver?: boolean } = {},
): Promise<PublishSummary> {
  const { config, store, log } = context;
  const publishers: PublishOutcome[] = [];
  for (const publisher of createPublishers(config)) {
    const outcome = await publisher.publish({
      outDir: written.outDir,
      files: written.files,
      date: written.date,
      language: written.language,
      report: written.report,
      ...(context.reportId === undefined ? {} : { reportId: context.reportId }),
    });
    log.info(`${outcome.publisher}: ${outcome.detail}`);
    publishers.push(outcome);
  }

  const channels = createChannels(config.publish.channels);
  if (channels.length === 0) return { publishers, channels: [], failedChannels: [] };
  const pageUrl = publicUrl(config.output.siteUrl, written.htmlPath);
  const message: ChannelMessage = {
    date: written.date,
    language: written.language,
    report: written.report,
    markdown: written.markdown,
    html: written.html,
    ...(pageUrl === undefined ? {} : { pageUrl }),
  };
  // Webhooks and SMTP are outbound requests like any other: the same network policy applies.
  const channelContext: ChannelContext = {
    fetch: createPolicedFetch({ allowHosts: config.http.allowHosts }),
    checkHost: createPolicedHostCheck({ allowHosts: config.http.allowHosts }),
    sleep: (ms) => sleep(ms),
    ...context.channelContext,
  };
  const reportId = context.reportId ?? DEFAULT_REPORT_ID;
  const outcomes = await deliverReport(channels, message, {
    // The ledger of this report: the same channel gets each report of a day once.
    ledger: {
      delivery: (date, language, channel) => store.delivery(date, language, channel, reportId),
      recordDelivery: (record) => store.recordDelivery(record, reportId),
    },
    context: channelContext,
    log,
    now: () => new Date(),
    ...(options.redeliver ? { redeliver: true } : {}),
  });
  return {
    publishers,
    channels: outcomes,
    failedChannels: outcomes.filter((outcome) => outcome.status === 'failed').map((outcome) => outcome.channel),
  };
}

/**
 * The report of `date` in `language` as an earlier run wrote it into `outDir` (for `ai-daily
 * publish`). Missing → NothingToReportError saying how to write it; a file that is not our
 * report → OutputError naming it.
 */
export function readWrittenReport(
  outDir: string,
  date: string,
  language: 'zh' | 'en',
  defaultLanguage: 'zh' | 'en',
): WrittenReport {
  const paths = reportPaths(date, language, defaultLanguage);
  const read = (relative: string): string => {
    try {
      return readFileSync(path.join(outDir, relative), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NothingToReportError(
          `no ${language} report of ${date} in the output folder (${relative} is missing); write it with \`ai-daily run --date ${date}\``,
        );
      }
      throw new OutputError(relative, `cannot read ${relative}: ${errorMessage(error)}`, { cause: error });
    }
  };
  const json = read(paths.json);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new OutputError(paths.json, `${paths.json} is not valid JSON: ${errorMessage(error)}`, { cause: error });
  }
  const record = parsed as Partial<Report> & { schemaVersion?: unknown };
  if (
    record === null ||
    typeof record !== 'object' ||
    record.schemaVersion !== REPORT_SCHEMA_VERSION ||
    record.date !== date ||
    record.language !== language ||
    !Array.isArray(record.topStories)
  ) {
    throw new OutputError(
      paths.json,
      `${paths.json} is not an ai-daily report of ${date} in ${language} (schemaVersion ${REPORT_SCHEMA_VERSION})`,
    );
  }
  const { schemaVersion: _version, ...report } = record;
  const markdown = read(paths.markdown);
  const html = read(paths.html);
  const exists = (relative: string) => statSync(path.join(outDir, relative), { throwIfNoEntry: false })?.isFile();
  const files = [
    paths.markdown,
    paths.json,
    paths.html,
    ...Object.values(SITE_PATHS).filter(exists),
    ...(report.demo?.path && exists(report.demo.path) ? [report.demo.path] : []),
  ];
  return { outDir, date, language, report: report as Report, markdown, html, htmlPath: paths.html, files };
}
