/**
 * Several reports in one deployment (`reports:`). The config's sources (its preset's, its own, its
 * OPML feeds, less `disable`) are collected once into the one store; each report reads the items
 * of the sources it names, with its own topics, language, title, channels and output folder, and
 * keeps its own memory of reported stories, runs and deliveries in the store (keyed by its id).
 * A config without `reports:` makes one report, `default`, of the top-level settings — exactly
 * what it made before reports existed.
 */

import type { z } from 'zod';
import { DEFAULT_REPORT_ID, type ReportLanguage } from '../core/report.js';
import type { SourceConfig } from '../core/types.js';
import { PRESETS, topicsFor } from './presets.js';
import type { reportDefinitionSchema } from './schema.js';

/** One report of the deployment, its defaults filled in from the top-level settings. */
export interface ReportDefinition {
  /** Kebab-case, unique; `default` for the report of a config without `reports:`. */
  id: string;
  language: ReportLanguage;
  /** Topic terms (lower-case): its preset's plus its own. */
  topics: string[];
  /** Ids of the enabled sources it reads, in the config's order. */
  sources: string[];
  title?: string;
  /** Its folder under the output folder, `''` for the output folder itself (the `default` report). */
  output: string;
  /** Its delivery channels (each checked by its kind's schema when the config is checked). */
  channels: unknown[];
  /** Where its channels are set in the config: `publish.channels`, or `reports[N].channels`. */
  channelsAt: string;
}

type RawDefinition = z.output<typeof reportDefinitionSchema>;

/**
 * The report definitions of a parsed config, with `path: message` problems for what cannot be:
 * a duplicate id, an unknown preset, a source id the config does not have (or has disabled), two
 * reports in one folder, `schedule.languages` beside `reports:`.
 */
export function resolveReports(
  top: {
    preset: string;
    language: ReportLanguage;
    topics: readonly string[];
    title?: string;
    channels: readonly unknown[];
    scheduleLanguages?: readonly ReportLanguage[];
  },
  sources: readonly SourceConfig[],
  raw: readonly RawDefinition[] | undefined,
  problems: string[],
): ReportDefinition[] {
  const enabled = sources.filter((source) => source.enabled).map((source) => source.id);
  const topPreset = PRESETS[top.preset];
  if (raw === undefined) {
    return [
      {
        id: DEFAULT_REPORT_ID,
        language: top.language,
        topics: topPreset ? topicsFor(topPreset, top.topics) : [],
        sources: enabled,
        ...(top.title === undefined ? {} : { title: top.title }),
        output: '',
        channels: [...top.channels],
        channelsAt: 'publish.channels',
      },
    ];
  }
  if (top.scheduleLanguages !== undefined) {
    problems.push(
      'schedule.languages: with reports:, each report has its own language (reports[].language); leave schedule.languages out',
    );
  }
  const byId = new Map(sources.map((source) => [source.id, source]));
  const idAt = new Map<string, number>();
  const folderAt = new Map<string, number>();
  const definitions: ReportDefinition[] = [];
  raw.forEach((entry, index) => {
    const where = `reports[${index}]`;
    const firstId = idAt.get(entry.id);
    if (firstId !== undefined) {
      problems.push(`${where}.id: duplicate report id "${entry.id}" (already used by reports[${firstId}])`);
      return;
    }
    idAt.set(entry.id, index);

    const presetName = entry.preset ?? top.preset;
    const preset = PRESETS[presetName];
    if (!preset) {
      problems.push(`${where}.preset: unknown preset "${presetName}" (known: ${Object.keys(PRESETS).join(', ')})`);
    }

    let own = enabled;
    if (entry.sources !== undefined) {
      const listed = new Map<string, number>();
      entry.sources.forEach((id, at) => {
        const source = byId.get(id);
        const first = listed.get(id);
        if (first !== undefined) {
          problems.push(`${where}.sources[${at}]: source "${id}" is already listed (sources[${first}])`);
        } else if (!source) {
          problems.push(
            `${where}.sources[${at}]: no source with id "${id}" (a report names sources of the config: its preset's, sources: or opml:)`,
          );
        } else if (!source.enabled) {
          problems.push(`${where}.sources[${at}]: source "${id}" is disabled (disable: or enabled: false)`);
        }
        if (first === undefined) listed.set(id, at);
      });
      // In the config's order, so that a report lists its sources like the config does.
      own = enabled.filter((id) => listed.has(id));
    }

    const output = entry.output ?? (entry.id === DEFAULT_REPORT_ID ? '' : entry.id);
    const firstFolder = folderAt.get(output);
    if (firstFolder !== undefined) {
      problems.push(
        `${where}.output: reports[${firstFolder}] is already written to ${output === '' ? 'the output folder itself' : `"${output}"`}; give this report its own folder`,
      );
    }
    // A folder inside another report's folder would mix its files with that report's.
    for (const [other, at] of folderAt) {
      if (other !== '' && output !== '' && (output.startsWith(`${other}/`) || other.startsWith(`${output}/`))) {
        problems.push(
          `${where}.output: "${output}" and the folder of reports[${at}] ("${other}") are one inside the other; give each report a folder of its own`,
        );
      }
    }
    if (firstFolder === undefined) folderAt.set(output, index);

    const title = entry.title ?? top.title;
    definitions.push({
      id: entry.id,
      language: entry.language ?? top.language,
      topics: preset ? topicsFor(preset, entry.topics ?? top.topics) : [],
      sources: own,
      ...(title === undefined ? {} : { title }),
      output,
      channels: [...(entry.channels ?? top.channels)],
      channelsAt: entry.channels === undefined ? 'publish.channels' : `${where}.channels`,
    });
  });
  return definitions;
}
