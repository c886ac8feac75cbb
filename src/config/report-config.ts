/**
 * One report of a config with `reports:` (src/config/reports.ts): which one a command means, and
 * the config as that report sees it.
 */
import { ConfigError } from '../core/errors.js';
import type { SourceConfig } from '../core/types.js';
import type { Config } from './load.js';
import type { ReportDefinition } from './reports.js';

/**
 * The report `id` of the config (absent: its only report), and the config as that
 * report sees it: its sources, topics, language, title, channels, and the site address of its folder.
 * The `default` report of a config without `reports:` is the config itself, its disabled sources left out.
 */
export function reportConfig(config: Config, id?: string): { config: Config; definition: ReportDefinition } {
  const definition = findReport(config, id);
  const own = new Set(definition.sources);
  const siteUrl = config.output.siteUrl;
  return {
    definition,
    config: {
      ...config,
      language: definition.language,
      topics: definition.topics,
      sources: config.sources.filter((source) => own.has(source.id)),
      report: { ...config.report, title: definition.title },
      publish: { ...config.publish, channels: definition.channels },
      output: {
        ...config.output,
        ...(siteUrl === undefined || definition.output === ''
          ? {}
          : { siteUrl: new URL(`${definition.output}/`, siteUrl.endsWith('/') ? siteUrl : `${siteUrl}/`).href }),
      },
      reports: [definition],
    },
  };
}

/** The definition of report `id`; absent → the config's only report (several: a usage error asking for --report). */
export function findReport(config: Pick<Config, 'reports'>, id?: string): ReportDefinition {
  const wanted = id ?? (config.reports.length === 1 ? config.reports[0]?.id : undefined);
  const found = config.reports.find((definition) => definition.id === wanted);
  if (found) return found;
  const known = config.reports.map((definition) => definition.id).join(', ');
  throw new ConfigError(
    id === undefined
      ? `the config defines several reports (${known}): name one with --report`
      : `--report: no report "${id}" in the config (its reports: ${known})`,
  );
}

/** The sources that at least one of `reports` reads: what a run of them collects, in the config's order. */
export function sourcesOfReports(
  sources: readonly SourceConfig[],
  reports: readonly ReportDefinition[],
): SourceConfig[] {
  const read = new Set(reports.flatMap((definition) => definition.sources));
  return sources.filter((source) => read.has(source.id));
}

/**
 * The ids of the sources that a run of `reports` collects, or undefined when they read every
 * enabled source (then the collection is the one a config without `reports:` always made).
 */
export function collectedSourceIds(
  sources: readonly SourceConfig[],
  reports: readonly ReportDefinition[],
): string[] | undefined {
  const read = sourcesOfReports(sources, reports).map((source) => source.id);
  return read.length === sources.filter((source) => source.enabled).length ? undefined : read;
}
