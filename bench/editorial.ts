/**
 * Editorial benchmark: does the report put on top what an editor would, merge what is one story,
 * keep apart what is not, and leave out what is off topic?
 *
 * Each labelled day (test/fixtures/editorial/*.json) is a recorded day — one of shared/fixtures/days,
 * or one built from the shared captures — with a config and an editor's labels, written before
 * looking at what the program picks:
 * - `mustHave`: the stories the day's report must carry (by item URL), each with a reason; a day
 *   written before this label existed has none, and its `top` labels count as its must-haves;
 * - `top`: the stories an editor would accept among the top stories (by item URL), each with a reason;
 * - `mustMerge` / `mustNotMerge`: pairs of item URLs that are one story / hard negatives;
 * - `offTopic`: item URLs that must be left out of the report.
 *
 * The real CLI runs each day (`ai-daily run --replay`, spawned) into a temporary folder, and the
 * JSON report is scored:
 * - top-story precision: report top stories matching a `top` label / report top stories;
 * - must-have recall: must-have stories the report carries (top stories or sections) / must-haves;
 *   must-haves among the top stories are counted too;
 * - merge recall: `mustMerge` pairs in one story / pairs with an item in the report and both
 *   items published inside the report's window;
 * - merge precision: `mustMerge` pairs merged / all labelled pairs merged (`mustMerge` merged plus
 *   `mustNotMerge` pairs wrongly merged; a `mustNotMerge` pair counts when both items are reported);
 * - off-topic leaks: `offTopic` items linked anywhere in the report (JSON or Markdown).
 *
 * Every labelled URL must be an item the run collected, so a typo in a label fails loudly instead
 * of scoring as a miss. Run alone: `node --import tsx bench/editorial.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { informativeStories, type Report, type ReportStory } from '../src/core/report.js';
import { dayFile, repoRoot } from '../test/support/fixtures.js';
import { type ReplayRunResult, runReplayDay } from '../test/support/replay-day.js';
import { formatTable } from './table.js';

export const editorialDir = path.join(repoRoot, 'test/fixtures/editorial');

const labelledItem = z.object({ url: z.string().url(), reason: z.string().min(1) }).strict();
const labelledPair = z.object({ a: z.string().url(), b: z.string().url(), reason: z.string().min(1) }).strict();
const captureResponse = z
  .object({
    url: z.string().url(),
    capture: z.string().min(1),
    status: z.number().int().optional(),
    contentType: z.string().min(1),
    wrapValuesIn: z.string().min(1).optional(),
    asOfNow: z.boolean().optional(),
  })
  .strict();

const labelledDaySchema = z
  .object({
    id: z.string().min(1),
    description: z.string().min(1),
    /** A day of shared/fixtures/days, by date. */
    recordedDay: z.string().optional(),
    /** Or a day built from the shared captures. */
    day: z
      .object({
        day: z.string(),
        now: z.string(),
        timezone: z.string().optional(),
        responses: z.array(captureResponse).min(1),
      })
      .strict()
      .optional(),
    /** ai-daily.config.yaml as an object; null: the defaults (the `ai` preset). */
    config: z.record(z.string(), z.unknown()).nullable(),
    labels: z
      .object({
        mustHave: z.array(labelledItem).min(1).optional(),
        top: z.array(labelledItem).min(1),
        mustMerge: z.array(labelledPair),
        mustNotMerge: z.array(labelledPair),
        offTopic: z.array(labelledItem),
      })
      .strict(),
  })
  .strict()
  .refine((day) => (day.recordedDay === undefined) !== (day.day === undefined), {
    message: 'give exactly one of recordedDay and day',
  });

export type LabelledDay = z.infer<typeof labelledDaySchema>;

/** Reads and checks every labelled day; a bad file is an error naming the file and the field. */
export function loadLabelledDays(dir = editorialDir): LabelledDay[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  return files.map((name) => {
    const file = path.join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`${name}: not JSON (${(error as Error).message})`);
    }
    const parsed = labelledDaySchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      throw new Error(`${name}: invalid labelled day\n${problems.join('\n')}`);
    }
    return parsed.data;
  });
}

/**
 * A URL as the benchmark compares it: scheme and host lower-cased, no fragment, no `utm_*`
 * parameters, no trailing slash. Independent of the program's own canonicalisation on purpose.
 */
export function comparableUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.trim();
  }
  parsed.hash = '';
  for (const key of [...parsed.searchParams.keys()]) {
    if (key.toLowerCase().startsWith('utm_')) parsed.searchParams.delete(key);
  }
  const text = parsed.toString();
  return text.endsWith('/') && parsed.pathname !== '/' ? text.slice(0, -1) : text;
}

export interface DayScore {
  id: string;
  topCount: number;
  topHits: number;
  /** Labelled top stories found among the report's top stories. */
  topLabelsFound: number;
  topLabels: number;
  /** Must-have stories ({@link mustHaveLabels}) the report carries, anywhere. */
  mustHaveFound: number;
  /** Must-have stories among the report's top stories. */
  mustHaveOnTop: number;
  mustHaves: number;
  /** Must-have URLs the report does not carry, for reading. */
  mustHaveMissing: string[];
  mustMergeEvaluable: number;
  mustMergeMerged: number;
  mustNotMergeEvaluable: number;
  mustNotMergeMerged: number;
  offTopicLabels: number;
  offTopicLeaks: string[];
  /** The report's top stories, for reading: title and whether a label matched. */
  top: { title: string; labelled: boolean }[];
  /** Merge pairs that went wrong, for reading. */
  mergeErrors: string[];
  /** Selected stories (sections' stories and other headlines) with a line beyond their headline. */
  informative: number;
  selected: number;
}

/** A day's must-have stories: its `mustHave` labels, else its `top` labels (days labelled before). */
export function mustHaveLabels(day: LabelledDay): { url: string; reason: string }[] {
  return day.labels.mustHave ?? day.labels.top;
}

function allStories(report: Report): ReportStory[] {
  return report.sections.flatMap((section) => section.stories);
}

/** Every http(s) URL in a JSON value. */
function jsonUrls(value: unknown, into: Set<string>): Set<string> {
  if (typeof value === 'string') {
    if (/^https?:\/\//i.test(value)) into.add(comparableUrl(value));
  } else if (Array.isArray(value)) {
    for (const entry of value) jsonUrls(entry, into);
  } else if (value && typeof value === 'object') {
    for (const entry of Object.values(value)) jsonUrls(entry, into);
  }
  return into;
}

/** Throws when a labelled URL is not an item the run collected (a typo, or a capture that changed). */
export function checkLabelsCollected(day: LabelledDay, result: ReplayRunResult): void {
  const collected = new Set(
    result.items.flatMap((item) => [comparableUrl(item.url), comparableUrl(item.canonicalUrl)]),
  );
  const labels = day.labels;
  const urls = [
    ...labels.top.map((label) => label.url),
    ...(labels.mustHave ?? []).map((label) => label.url),
    ...labels.offTopic.map((label) => label.url),
    ...[...labels.mustMerge, ...labels.mustNotMerge].flatMap((pair) => [pair.a, pair.b]),
  ];
  const missing = [...new Set(urls)].filter((url) => !collected.has(comparableUrl(url)));
  if (missing.length > 0) {
    throw new Error(`${day.id}: labelled URL(s) that the run did not collect:\n  ${missing.join('\n  ')}`);
  }
}

export function scoreDay(day: LabelledDay, result: ReplayRunResult): DayScore {
  const { report } = result;
  const stories = allStories(report);
  const storyOf = new Map<string, ReportStory>();
  for (const story of stories) {
    for (const link of story.links) storyOf.set(comparableUrl(link.url), story);
  }
  const byId = new Map(stories.map((story) => [story.id, story]));
  const topLabelUrls = new Set(day.labels.top.map((label) => comparableUrl(label.url)));

  const top = report.topStories.map((entry) => {
    const story = byId.get(entry.storyId);
    const labelled = story?.links.some((link) => topLabelUrls.has(comparableUrl(link.url))) ?? false;
    return { title: entry.title, labelled };
  });
  const topIds = new Set(report.topStories.map((entry) => entry.storyId));
  const topLabelsFound = day.labels.top.filter((label) => {
    const story = storyOf.get(comparableUrl(label.url));
    return story !== undefined && topIds.has(story.id);
  }).length;

  // A title the report lists under its section's other headlines (linked, with its source) is carried too.
  const listed = new Set(
    report.sections.flatMap((section) => (section.otherHeadlines ?? []).map((link) => comparableUrl(link.url))),
  );
  const mustHaves = mustHaveLabels(day);
  const mustHaveMissing = mustHaves
    .filter((label) => !storyOf.has(comparableUrl(label.url)) && !listed.has(comparableUrl(label.url)))
    .map((label) => label.url);
  const mustHaveOnTop = mustHaves.filter((label) => {
    const story = storyOf.get(comparableUrl(label.url));
    return story !== undefined && topIds.has(story.id);
  }).length;

  const mergeErrors: string[] = [];
  let mustMergeEvaluable = 0;
  let mustMergeMerged = 0;
  // A pair whose other item was published outside the report's window cannot be merged: not judged.
  const published = new Map<string, number>();
  for (const item of result.items) {
    const time = Date.parse(item.publishedAt);
    published.set(comparableUrl(item.url), time);
    published.set(comparableUrl(item.canonicalUrl), time);
  }
  const windowStart = report.window ? Date.parse(report.window.start) : Number.NEGATIVE_INFINITY;
  const windowEnd = report.window ? Date.parse(report.window.end) : Number.POSITIVE_INFINITY;
  const inWindow = (url: string) => {
    const time = published.get(comparableUrl(url));
    return time === undefined || Number.isNaN(time) || (time >= windowStart && time <= windowEnd);
  };
  for (const pair of day.labels.mustMerge) {
    const a = storyOf.get(comparableUrl(pair.a));
    const b = storyOf.get(comparableUrl(pair.b));
    if (!a && !b) continue;
    if (!inWindow(pair.a) || !inWindow(pair.b)) continue;
    mustMergeEvaluable += 1;
    if (a && b && a.id === b.id) mustMergeMerged += 1;
    else mergeErrors.push(`not merged: ${pair.a} + ${pair.b} (${pair.reason})`);
  }
  let mustNotMergeEvaluable = 0;
  let mustNotMergeMerged = 0;
  for (const pair of day.labels.mustNotMerge) {
    const a = storyOf.get(comparableUrl(pair.a));
    const b = storyOf.get(comparableUrl(pair.b));
    if (!a || !b) continue;
    mustNotMergeEvaluable += 1;
    if (a.id === b.id) {
      mustNotMergeMerged += 1;
      mergeErrors.push(`wrongly merged: ${pair.a} + ${pair.b} (${pair.reason})`);
    }
  }

  const reported = jsonUrls(report, new Set());
  for (const match of result.markdown.matchAll(/https?:\/\/[^\s)<>\]"']+/g)) reported.add(comparableUrl(match[0]));
  const offTopicLeaks = day.labels.offTopic
    .filter((label) => reported.has(comparableUrl(label.url)))
    .map((label) => label.url);

  return {
    id: day.id,
    topCount: report.topStories.length,
    topHits: top.filter((entry) => entry.labelled).length,
    topLabelsFound,
    topLabels: day.labels.top.length,
    mustHaveFound: mustHaves.length - mustHaveMissing.length,
    mustHaveOnTop,
    mustHaves: mustHaves.length,
    mustHaveMissing,
    mustMergeEvaluable,
    mustMergeMerged,
    mustNotMergeEvaluable,
    mustNotMergeMerged,
    offTopicLabels: day.labels.offTopic.length,
    offTopicLeaks,
    top,
    mergeErrors,
    ...informativeStories(report),
  };
}

export interface OverallScore {
  /** Micro-averaged over the days: hits / top stories. */
  topPrecision: number;
  /** Must-have stories carried by the reports / must-haves, over the days. */
  mustHaveRecall: number;
  /** Must-have stories among the top stories / must-haves, over the days. */
  mustHaveOnTop: number;
  /** null when no labelled pair could be judged. */
  mergePrecision: number | null;
  mergeRecall: number | null;
  offTopicLeaks: number;
  offTopicLabels: number;
}

export function overallScore(scores: readonly DayScore[]): OverallScore {
  const sum = (pick: (score: DayScore) => number) => scores.reduce((total, score) => total + pick(score), 0);
  const topCount = sum((score) => score.topCount);
  const merged = sum((score) => score.mustMergeMerged);
  const wronglyMerged = sum((score) => score.mustNotMergeMerged);
  const mustMergeEvaluable = sum((score) => score.mustMergeEvaluable);
  const mustHaves = sum((score) => score.mustHaves);
  return {
    topPrecision: topCount === 0 ? 0 : sum((score) => score.topHits) / topCount,
    mustHaveRecall: mustHaves === 0 ? 0 : sum((score) => score.mustHaveFound) / mustHaves,
    mustHaveOnTop: mustHaves === 0 ? 0 : sum((score) => score.mustHaveOnTop) / mustHaves,
    mergePrecision: merged + wronglyMerged === 0 ? null : merged / (merged + wronglyMerged),
    mergeRecall: mustMergeEvaluable === 0 ? null : merged / mustMergeEvaluable,
    offTopicLeaks: sum((score) => score.offTopicLeaks.length),
    offTopicLabels: sum((score) => score.offTopicLabels),
  };
}

/** Runs one labelled day through the CLI and scores it. */
export async function runLabelledDay(day: LabelledDay): Promise<{ score: DayScore; result: ReplayRunResult }> {
  const result = await runReplayDay({
    recordedDayFile: day.recordedDay ? dayFile(day.recordedDay) : undefined,
    day: day.day,
    config: day.config,
  });
  checkLabelsCollected(day, result);
  return { score: scoreDay(day, result), result };
}

/** Runs every labelled day, two at a time (each run is a child process). */
export async function runAllLabelledDays(days = loadLabelledDays()): Promise<DayScore[]> {
  const scores: DayScore[] = new Array(days.length);
  let next = 0;
  const worker = async () => {
    while (next < days.length) {
      const index = next++;
      scores[index] = (await runLabelledDay(days[index]!)).score;
    }
  };
  await Promise.all([worker(), worker()]);
  return scores;
}

const ratio = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));
const fraction = (hits: number, total: number) => (total === 0 ? 'n/a' : `${hits}/${total}`);

export function formatScores(scores: readonly DayScore[]): string {
  const overall = overallScore(scores);
  const rows = scores.map((score) => [
    score.id,
    fraction(score.topHits, score.topCount),
    fraction(score.topLabelsFound, score.topLabels),
    fraction(score.mustHaveFound, score.mustHaves),
    fraction(score.mustHaveOnTop, score.mustHaves),
    fraction(score.mustMergeMerged, score.mustMergeEvaluable),
    fraction(score.mustNotMergeMerged, score.mustNotMergeEvaluable),
    fraction(score.offTopicLeaks.length, score.offTopicLabels),
  ]);
  const sum = (pick: (score: DayScore) => number) => scores.reduce((total, score) => total + pick(score), 0);
  rows.push([
    'overall',
    fraction(
      sum((score) => score.topHits),
      sum((score) => score.topCount),
    ),
    fraction(
      sum((score) => score.topLabelsFound),
      sum((score) => score.topLabels),
    ),
    fraction(
      sum((score) => score.mustHaveFound),
      sum((score) => score.mustHaves),
    ),
    fraction(
      sum((score) => score.mustHaveOnTop),
      sum((score) => score.mustHaves),
    ),
    fraction(
      sum((score) => score.mustMergeMerged),
      sum((score) => score.mustMergeEvaluable),
    ),
    fraction(
      sum((score) => score.mustNotMergeMerged),
      sum((score) => score.mustNotMergeEvaluable),
    ),
    fraction(overall.offTopicLeaks, overall.offTopicLabels),
  ]);
  const table = formatTable(
    [
      'day',
      'top hits',
      'labels on top',
      'must-haves',
      'must-haves on top',
      'must-merge merged',
      'must-not merged',
      'off-topic leaks',
    ],
    rows,
  );
  const summary =
    `top-story precision ${ratio(overall.topPrecision)}, must-have recall ${ratio(overall.mustHaveRecall)} ` +
    `(on top ${ratio(overall.mustHaveOnTop)}), merge precision ${ratio(overall.mergePrecision)}, ` +
    `merge recall ${ratio(overall.mergeRecall)}, off-topic leaks ${overall.offTopicLeaks}/${overall.offTopicLabels}`;
  const details = scores.flatMap((score) => [
    `\n${score.id} top stories:`,
    ...score.top.map((entry, index) => `  ${index + 1}. ${entry.labelled ? '[x]' : '[ ]'} ${entry.title}`),
    ...score.mustHaveMissing.map((url) => `  must-have missing: ${url}`),
    ...score.mergeErrors.map((error) => `  ${error}`),
    ...score.offTopicLeaks.map((url) => `  off-topic leak: ${url}`),
  ]);
  // Selected stories (sections' stories and other headlines) with a line beyond their headline.
  const informative = `stories with an informative line: ${fraction(
    sum((score) => score.informative),
    sum((score) => score.selected),
  )} (no top or detailed story is a bare title; the rest are their sections' other headlines)`;
  return [table, '', summary, informative, ...details].join('\n');
}

export async function benchEditorial(): Promise<void> {
  console.log('\n## Editorial benchmark (labelled days, test/fixtures/editorial)');
  console.log(
    'top hits: report top stories an editor labelled top; labels on top: labelled stories the report put on top;\n' +
      'must-haves: must-have stories the report carries (anywhere); must-haves on top: among its top stories;\n' +
      'must-merge merged: pairs in one story (of pairs reported); must-not merged: hard negatives wrongly merged.',
  );
  const scores = await runAllLabelledDays();
  console.log(formatScores(scores));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchEditorial();
}
