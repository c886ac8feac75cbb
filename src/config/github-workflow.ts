/**
 * The GitHub Actions workflow that `ai-daily init --github-actions` writes: a daily run at an odd
 * minute (UTC, converted from `schedule`), manual runs for a date, one run at a time, the SQLite
 * store kept in the Actions cache, the report published by the git publisher, the log uploaded when
 * a run fails (docs/decisions/0180).
 */
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { formatOffset, zoneOffsetMs } from '../core/time.js';
import { cronProblem, scheduleSchema } from './schema.js';

/** The cron of a config without `schedule` (read in its time zone): 10:00 local. */
export const DEFAULT_SCHEDULE_CRON = '0 10 * * *';

/** Secrets passed to the run when no config file exists yet: those the `init` template refers to. */
export const DEFAULT_SECRET_NAMES = ['DEEPSEEK_API_KEY', 'GITHUB_TOKEN'] as const;

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A UTC cron for GitHub, or why the local one cannot be written as one. */
export type UtcCron = { cron: string; note: string } | { problem: string };

/**
 * The minute moved off the round numbers GitHub's busy :00 (and :30, :15 …) fall on: a minute that
 * is a multiple of 5 goes to the next odd minute that is not (0 → 7, 15 → 21), within the hour.
 */
export function offPeakMinute(minute: number): number {
  if (minute % 5 !== 0) return minute;
  const later = minute + (minute % 2 === 0 ? 7 : 6);
  return later < 60 ? later : minute - 6;
}

/**
 * `cron`, read in `timezone`, as a UTC cron with the offset the zone has at `at` (GitHub ignores
 * daylight saving time: the run moves by an hour when the zone changes offset). A cron with one
 * minute and a list of hours converts; one whose days are restricted converts only when no hour
 * crosses midnight.
 */
export function utcCron(cron: string, timezone: string, at: Date): UtcCron {
  const problem = cronProblem(cron);
  if (problem) return { problem: `schedule.cron: ${problem}` };
  const expanded = NICKNAMES[cron.trim().toLowerCase()] ?? cron.trim();
  const [minuteField = '', hourField = '', ...dayFields] = expanded.split(/\s+/);
  if (!/^\d{1,2}$/.test(minuteField) || !/^\d{1,2}(,\d{1,2})*$/.test(hourField)) {
    return { problem: `schedule.cron "${cron}": only a single minute and a list of hours can be converted to UTC` };
  }
  const offsetMinutes = Math.round(zoneOffsetMs(at.getTime(), timezone) / 60_000);
  const local = hourField.split(',').map((h) => Number(h) * 60 + Number(minuteField));
  const utc = local.map((m) => m - offsetMinutes);
  const crossesMidnight = utc.some((m) => m < 0 || m >= 1440);
  if (crossesMidnight && dayFields.some((field) => field !== '*')) {
    return {
      problem: `schedule.cron "${cron}": its days are restricted and the run falls on another day in UTC; write the workflow's cron by hand`,
    };
  }
  const dayMinutes = utc.map((m) => ((m % 1440) + 1440) % 1440);
  const minute = offPeakMinute((dayMinutes[0] ?? 0) % 60);
  const hours = [...new Set(dayMinutes.map((m) => Math.floor(m / 60)))].sort((a, b) => a - b);
  return {
    cron: [String(minute), hours.join(','), ...dayFields].join(' '),
    note: `"${cron}" in ${timezone}, at UTC${formatOffset(offsetMinutes * 60_000)} (its offset when this file was written)`,
  };
}

/** The `${VAR}` names a config's values refer to (comments left out), sorted, each once. */
export function secretNamesIn(configText: string): string[] {
  const names = new Set<string>();
  const collect = (text: string) => {
    for (const match of text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g)) names.add(match[1] ?? '');
  };
  const document = parseDocument(configText);
  if (document.errors.length > 0) {
    // Unreadable YAML: every reference outside a comment line still names a secret the run needs.
    for (const line of configText.split('\n')) if (!line.trimStart().startsWith('#')) collect(line);
  } else {
    const walk = (node: unknown): void => {
      if (isScalar(node)) {
        if (typeof node.value === 'string') collect(node.value);
      } else if (isMap(node)) {
        // Keys are not interpolated by the loader: only values can need a secret.
        for (const pair of node.items) walk(pair.value);
      } else if (isSeq(node)) {
        for (const item of node.items) walk(item);
      }
    };
    walk(document.contents);
  }
  names.delete('');
  return [...names].sort();
}

/** What the workflow needs to know of the config (read from its text, without its secrets). */
export interface WorkflowSettings {
  /** The config file, relative to the repository root (passed as --config unless it is the default). */
  configFile?: string;
  timezone: string;
  /** `schedule` when the config has a valid one. */
  schedule?: { cron: string; timezone?: string };
  storePath: string;
  /** `store.driver`: with `postgres` the store is a database the workflow reaches, not a file to cache. */
  storeDriver: 'sqlite' | 'postgres';
  outputDir: string;
  hasGitPublisher: boolean;
  secretNames: string[];
}

/** Reads the few settings the workflow depends on from a config's text (defaults where absent). */
export function workflowSettings(configText: string | undefined, configFile?: string): WorkflowSettings {
  const raw = configText === undefined ? {} : (parseDocument(configText).toJS() as unknown);
  const top = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const section = (key: string) => {
    const value = top[key];
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  };
  const text = (value: unknown, fallback: string) => (typeof value === 'string' && value !== '' ? value : fallback);
  const schedule = scheduleSchema.safeParse(top.schedule);
  return {
    ...(configFile === undefined ? {} : { configFile }),
    timezone: text(top.timezone, 'Asia/Shanghai'),
    ...(schedule.success
      ? {
          schedule: {
            cron: schedule.data.cron,
            ...(schedule.data.timezone ? { timezone: schedule.data.timezone } : {}),
          },
        }
      : {}),
    storePath: text(section('store').path, './data/ai-daily.db'),
    storeDriver: section('store').driver === 'postgres' ? 'postgres' : 'sqlite',
    outputDir: text(section('output').dir, './out'),
    hasGitPublisher: section('publish').git !== undefined && section('publish').git !== null,
    secretNames: configText === undefined ? [...DEFAULT_SECRET_NAMES] : secretNamesIn(configText),
  };
}

/** A path inside the repository written into the workflow: relative, no `..`, only plain characters. */
export function repositoryPath(value: string, what: string): string {
  const normalized = value.replace(/^\.\//, '').replace(/\/+$/, '');
  if (
    normalized === '' ||
    normalized.startsWith('/') ||
    normalized.split('/').includes('..') ||
    !/^[A-Za-z0-9._/-]+$/.test(normalized)
  ) {
    throw new ConfigError(
      `${what} "${value}" cannot be used in the workflow: it must be a relative path inside the repository (letters, digits, . _ - /)`,
    );
  }
  return normalized;
}

/** The workflow file's text. `now` dates the UTC offset used to convert the schedule. */
export function githubWorkflow(settings: WorkflowSettings, now: Date): { text: string; warnings: string[] } {
  const warnings: string[] = [];
  const zone = settings.schedule?.timezone ?? settings.timezone;
  let converted = utcCron(settings.schedule?.cron ?? DEFAULT_SCHEDULE_CRON, zone, now);
  let origin = settings.schedule ? "This is the config's schedule" : 'The config has no schedule; this is the default';
  if ('problem' in converted) {
    origin = "The config's schedule cannot be written in UTC; this is the default";
    warnings.push(`${converted.problem}; the workflow runs daily at 10:00 in ${zone} instead`);
    converted = utcCron(DEFAULT_SCHEDULE_CRON, zone, now);
  }
  if ('problem' in converted) throw new ConfigError(converted.problem);
  if (!settings.hasGitPublisher) {
    warnings.push(
      'the config has no publish.git: the workflow makes the report but pushes nothing; add `publish: { git: {} }` (docs/config.md)',
    );
  }
  const postgres = settings.storeDriver === 'postgres';
  const store = postgres ? '' : repositoryPath(settings.storePath, 'store.path');
  const outputDir = repositoryPath(settings.outputDir, 'output.dir');
  const configFile =
    settings.configFile === undefined ? undefined : repositoryPath(settings.configFile, 'the config file');
  const configArgs = configFile && configFile !== 'ai-daily.config.yaml' ? ` --config ${configFile}` : '';
  // Secrets the config refers to as ${VAR}, from the repository's secrets (an unset one is empty).
  const envLines = [
    '          REPORT_DATE: ${{ inputs.date }}',
    ...settings.secretNames
      .filter((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name !== 'REPORT_DATE')
      .map((name) => `          ${name}: \${{ secrets.${name} }}`),
  ];

  // A SQLite store is kept in the Actions cache; a PostgreSQL store is the database `store.url`
  // names (a repository secret such as DATABASE_URL, passed in the run's environment below).
  const restoreStep = postgres
    ? `      # The store is the PostgreSQL database that store.url names (a repository secret, passed in the
      # environment of the run below): nothing is kept in the Actions cache.

`
    : `      # The SQLite store (what was collected, reported stories, the LLM cache) is kept between runs
      # in the Actions cache. A cache entry can never be changed once saved, so every run saves a
      # new one under a unique key, and the next run restores the newest entry whose key starts
      # with the prefix in restore-keys. GitHub evicts entries unused for 7 days.
      - name: Restore the store
        uses: actions/cache/restore@v4
        with:
          path: |
            ${store}
            ${store}-wal
          key: ai-daily-store-\${{ github.run_id }}-\${{ github.run_attempt }}
          restore-keys: |
            ai-daily-store-

`;
  const saveStep = postgres
    ? ''
    : `      - name: Save the store
        if: always()
        uses: actions/cache/save@v4
        with:
          path: |
            ${store}
            ${store}-wal
          key: ai-daily-store-\${{ github.run_id }}-\${{ github.run_attempt }}

`;

  const text = `# ai-daily: the daily report, made and published by GitHub Actions.
# Written by \`ai-daily init --github-actions\`; see the README ("GitHub Actions") and docs/config.md.
name: ai-daily

on:
  schedule:
    # GitHub's cron is in UTC and ignores daylight saving time. ${origin},
    # ${converted.note};
    # where the zone changes its offset, the run moves by an hour against local time. The minute is
    # off the hour on purpose: GitHub delays, and at busy times drops, the runs queued at :00.
    - cron: "${converted.cron}"
  workflow_dispatch:
    inputs:
      date:
        description: "Report date, YYYY-MM-DD (empty: today in the configured time zone)"
        required: false
        default: ""
        type: string

# One run at a time: a run started while another is in progress waits for it, never cancels it.
concurrency:
  group: ai-daily
  cancel-in-progress: false

permissions:
  contents: write # the git publisher pushes the report commit with the workflow's GITHUB_TOKEN

jobs:
  report:
    runs-on: ubuntu-latest
    timeout-minutes: 45
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the git publisher rebases onto the branch when someone pushed first
          persist-credentials: true # git keeps the workflow's GITHUB_TOKEN: the publisher's push uses it

      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm

      - run: npm ci

${restoreStep}      - name: Git identity for the report commits
        run: |
          git config user.name "github-actions[bot]"
          git config user.email "41898282+github-actions[bot]@users.noreply.github.com"

      # The report goes to ${outputDir}/ in this checkout; publish.git commits exactly the run's files and pushes them.
      # The date input reaches the script only through the environment, and is checked before use.
      - name: Make and publish the report
        shell: bash
        env:
${envLines.join('\n')}
        run: |
          set -o pipefail
          mkdir -p ai-daily-logs
          args=()
          if [ -n "$REPORT_DATE" ]; then
            if ! [[ "$REPORT_DATE" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
              echo "the date input must be YYYY-MM-DD" >&2
              exit 2
            fi
            args+=(--date "$REPORT_DATE")
          fi
          npx ai-daily${configArgs} run "\${args[@]}" 2>&1 | tee ai-daily-logs/run.log

${saveStep}      - name: Upload the log
        if: failure()
        uses: actions/upload-artifact@v4
        with:
          name: ai-daily-log-\${{ github.run_id }}-\${{ github.run_attempt }}
          path: ai-daily-logs/
          retention-days: 14
`;
  return { text, warnings };
}
