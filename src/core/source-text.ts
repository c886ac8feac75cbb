/**
 * Source text in a report: which fields hold words a source wrote (titles, sentences, names,
 * terms), and how they are made safe to publish before any renderer sees them.
 *
 * The quality gate refuses a report for *our* faults (a log line, a path or a stack trace in text
 * we wrote). Text a source wrote may well look like a log line ("WARNING: AI agents…"), a path
 * ("Why /usr/bin/python3 broke…") or box drawing ("Qwen 3 ─── the story"); it is shown as plain,
 * escaped text, and the gate tells it apart from ours through `sourceFragments`. What can never be
 * shown is removed here, field by field, so one item never takes the day down: control characters
 * and ANSI escapes are dropped, bidirectional overrides dropped, and credential-looking tokens
 * replaced by `***` (see docs/decisions/0060-source-text-and-the-gate.md).
 */
import { SECRET_PATTERNS } from './hygiene.js';
import type { Report, ReportSection } from './report.js';
import type { CitedText } from './types.js';

/** Credential shapes beyond the shared hygiene list: JWTs, AWS secret keys, private key blocks. */
export const EXTRA_SECRET_PATTERNS: RegExp[] = [
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  /\b(?:aws_secret_access_key|aws_secret_key|secret_access_key)\b\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}\b/i,
  /\bASIA[0-9A-Z]{16}\b/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

/** Every pattern the gate treats as a credential (shared hygiene list + the extra shapes above). */
export const ALL_SECRET_PATTERNS: RegExp[] = [...SECRET_PATTERNS, ...EXTRA_SECRET_PATTERNS];

const GLOBAL_SECRET_PATTERNS = ALL_SECRET_PATTERNS.map(
  (pattern) => new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`),
);

/** What a redacted credential reads as. */
export const REDACTED = '***';

/** ANSI CSI/OSC sequences, then any other C0/C1 control character except tab and line breaks. */
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
/** Bidirectional embeddings, overrides and isolates: they can make text read other than it is. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;

/** Source text made safe to publish: escapes and controls removed, credentials redacted. */
export function safeSourceText(text: string): string {
  let out = text.replace(ANSI_SEQUENCE, '').replace(CONTROL, ' ').replace(BIDI_CONTROL, '');
  for (const pattern of GLOBAL_SECRET_PATTERNS) out = out.replace(pattern, REDACTED);
  return out;
}

/** Fields whose values are URLs or identifiers: kept byte for byte (they are checked, not shown as text). */
const VERBATIM_KEYS = new Set(['url', 'id', 'itemId', 'storyId', 'sourceId']);

function mapStrings(value: unknown, key: string | undefined, change: (text: string) => string): unknown {
  if (typeof value === 'string') return key !== undefined && VERBATIM_KEYS.has(key) ? value : change(value);
  if (Array.isArray(value)) return value.map((entry) => mapStrings(entry, undefined, change));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(value)) out[name] = mapStrings(entry, name, change);
    return out;
  }
  return value;
}

/**
 * A copy of the report with every text made safe (`safeSourceText`): what the Markdown and JSON
 * renderers write and the gate checks. Text of ours passes unchanged (it holds nothing to remove).
 * Pure; idempotent.
 */
export function publishableReport(report: Report): Report {
  return mapStrings(withholdUnsafeItems(report), undefined, safeSourceText) as Report;
}

/** Environment variables whose values are public and may legitimately appear (time zone, locale, CI URLs). */
export const PUBLIC_ENV_NAMES =
  /^(?:TZ|LANG|LANGUAGE|LC_[A-Z_]+|TERM|COLORTERM|TERM_PROGRAM(?:_VERSION)?|SHELL|SHLVL|NODE_ENV|CI|FORCE_COLOR|NO_COLOR|GITHUB_(?:SERVER_URL|API_URL|GRAPHQL_URL|REPOSITORY|REPOSITORY_OWNER|WORKFLOW|EVENT_NAME|REF_NAME|REF_TYPE|JOB|ACTOR)|RUNNER_(?:OS|ARCH|ENVIRONMENT)|npm_package_[A-Za-z0-9_]+|npm_lifecycle_event)$/;

/** Values shorter than this say nothing about a machine ("root", "C.UTF-8", "true", "1"). */
const MIN_ENV_VALUE_LENGTH = 9;
/** Plain words ("noninteractive", "localhost"): a report may say them without telling anything. */
const PLAIN_WORDS = /^[\p{L}][\p{L} ]{0,22}$/u;
/** A path of the operating system itself, the same on every machine ("/usr/bin/python3"). */
const SYSTEM_PATH = /^\/(?:usr|bin|sbin|lib\w*|etc|opt|dev|proc|sys|snap)(?:\/[^:\s]*)?$/;

/** One environment value that must not be published, with its variable's name (never the value) for messages. */
export interface EnvironmentValue {
  variable: string;
  value: string;
}

/**
 * The values of `env` that would tell something about this machine if published: user and host
 * names, home and working folders, tokens, ids. Public variables (time zone, locale, CI names),
 * short values, plain words, system paths and the `allowed` values (what the config says the
 * report shows: its title, author, time zone) are left out. The one rule both the redaction
 * (`withoutEnvironmentValues`) and the quality gate use.
 */
export function environmentValues(
  env: Record<string, string | undefined>,
  allowed: Iterable<string | undefined> = [],
): EnvironmentValue[] {
  const public_ = new Set(allowed);
  const out: EnvironmentValue[] = [];
  for (const [variable, value] of Object.entries(env)) {
    if (value === undefined || PUBLIC_ENV_NAMES.test(variable) || public_.has(value)) continue;
    const trimmed = value.trim();
    if (trimmed.length < MIN_ENV_VALUE_LENGTH || PLAIN_WORDS.test(trimmed) || SYSTEM_PATH.test(trimmed)) continue;
    out.push({ variable, value });
  }
  // Longest first, so that a value containing another is replaced whole.
  return out.sort((a, b) => b.value.length - a.value.length);
}

/** How many texts of the report held the value of each environment variable (replaced by `***`). */
export interface EnvironmentRedaction {
  variable: string;
  texts: number;
}

/**
 * The report with every value of `environmentValues(env)` taken out of its texts: replaced by
 * `***` where a source (or anything else) wrote it, and an item whose URL holds one withheld like
 * a credential URL. A source cannot know this machine's environment, so such a match is either
 * chance or a reflection of what we sent (a token, a host name): either way it is not published,
 * and it never takes the day down. The caller logs the counts; the gate still refuses any value
 * left in our own text. Pure.
 */
export function withoutEnvironmentValues(
  report: Report,
  env: Record<string, string | undefined>,
): { report: Report; redactions: EnvironmentRedaction[] } {
  const values = environmentValues(env, [report.title, report.author, report.timezone]);
  if (values.length === 0) return { report, redactions: [] };
  const counts = new Map<string, number>();
  const count = (variable: string) => counts.set(variable, (counts.get(variable) ?? 0) + 1);
  const withheld = withholdUnsafeItems(report, (url) => {
    const found = values.find(({ value }) => url.includes(value) || url.includes(encodeURIComponent(value)));
    if (found) count(found.variable);
    return found !== undefined;
  });
  const redacted = mapStrings(withheld, undefined, (text) => {
    let out = text;
    for (const { variable, value } of values) {
      if (!out.includes(value)) continue;
      out = out.split(value).join(REDACTED);
      count(variable);
    }
    return out;
  }) as Report;
  return { report: redacted, redactions: [...counts].map(([variable, texts]) => ({ variable, texts })) };
}

/** Whether a URL holds a credential-looking token (an API key in a query string): it cannot be linked. */
export function isCredentialUrl(url: string): boolean {
  return ALL_SECRET_PATTERNS.some((pattern) => pattern.test(url));
}

/**
 * The report without the items that cannot be shown safely — those whose URL holds a
 * credential-looking token (or what `isUnsafeUrl` names), which cannot be linked without
 * publishing it — counted in
 * `withheld`. Citations are renumbered in order; a statement left without a citation, a story
 * left without a link and a section left without a story are dropped. Everything else is kept.
 */
export function withholdUnsafeItems(report: Report, isUnsafeUrl: (url: string) => boolean = isCredentialUrl): Report {
  const unsafeUrls = new Set<string>();
  for (const reference of report.references) if (isUnsafeUrl(reference.url)) unsafeUrls.add(reference.url);
  for (const section of report.sections) {
    for (const story of section.stories) {
      for (const link of story.links) if (!unsafeUrls.has(link.url) && isUnsafeUrl(link.url)) unsafeUrls.add(link.url);
    }
  }
  if (unsafeUrls.size === 0) return report;

  const kept = report.references.filter((reference) => !unsafeUrls.has(reference.url));
  const renumber = new Map(kept.map((reference, index) => [reference.n, index + 1]));
  const cites = (list: readonly number[]) => list.flatMap((n) => (renumber.has(n) ? [renumber.get(n)!] : []));
  const cited = <T extends { cites: number[] }>(entries: readonly T[]): T[] =>
    entries.map((entry) => ({ ...entry, cites: cites(entry.cites) })).filter((entry) => entry.cites.length > 0);
  const referenceOf = new Map(kept.map((reference) => [reference.url, renumber.get(reference.n)!]));

  const sections: ReportSection[] = [];
  const storyIds = new Set<string>();
  for (const section of report.sections) {
    const stories = section.stories.flatMap((story) => {
      const links = story.links.filter((link) => !unsafeUrls.has(link.url));
      if (links.length === 0) return [];
      let summary: CitedText[] = cited(story.summary);
      if (summary.length === 0) {
        const linkCites = [
          ...new Set(links.flatMap((link) => (referenceOf.has(link.url) ? [referenceOf.get(link.url)!] : []))),
        ];
        if (linkCites.length === 0) return [];
        summary = [{ text: story.title, cites: linkCites }];
      }
      storyIds.add(story.id);
      const { data: dataLine, ...rest } = story;
      const data = dataLine ? cited([dataLine])[0] : undefined;
      return [{ ...rest, links, summary, ...(data ? { data } : {}) }];
    });
    const otherHeadlines = section.otherHeadlines?.filter((link) => !unsafeUrls.has(link.url));
    const others = otherHeadlines && otherHeadlines.length > 0 ? { otherHeadlines } : {};
    const { otherHeadlines: _all, ...sectionRest } = section;
    if (stories.length > 0 || otherHeadlines?.length) sections.push({ ...sectionRest, stories, ...others });
  }
  const topStories = report.topStories
    .filter((top) => storyIds.has(top.storyId))
    .map((top) => ({ ...top, line: { ...top.line, cites: cites(top.line.cites) } }))
    .filter((top) => top.line.cites.length > 0);
  const data = report.dataSections;
  return {
    ...report,
    topStories,
    executiveSummary: cited(report.executiveSummary),
    sections,
    dataSections: {
      ...data,
      risingTopics: cited(data.risingTopics),
      topRepositories: cited(data.topRepositories),
      topModels: cited(data.topModels),
      topPapers: cited(data.topPapers),
    },
    ...(report.readingList
      ? { readingList: cited(report.readingList).filter((entry) => !unsafeUrls.has(entry.url)) }
      : {}),
    references: kept.map((reference) => ({ ...reference, n: renumber.get(reference.n)! })),
    categories: sections.map((section) => section.heading),
    withheld: (report.withheld ?? 0) + unsafeUrls.size,
  };
}

/**
 * Every piece of text in the report that a source (or the user's configuration) wrote, as it is
 * in the report: titles, sentences, source and link names, terms, tags. Our own text (labels,
 * headings, counts, error messages, the summary lines we compose around titles) is not in it.
 */
export function sourceFragments(report: Report): string[] {
  const out: string[] = [];
  const add = (text: string | undefined) => {
    if (text) out.push(text);
  };
  // A top story's line may be the story's data line: our text, not a fragment.
  const dataLines = new Set(
    report.sections.flatMap((section) => section.stories.flatMap((story) => (story.data ? [story.data.text] : []))),
  );
  for (const top of report.topStories) {
    add(top.title);
    if (!dataLines.has(top.line.text)) add(top.line.text);
  }
  for (const section of report.sections) {
    for (const story of section.stories) {
      add(story.title);
      for (const sentence of story.summary) add(sentence.text);
      for (const link of story.links) {
        add(link.title);
        add(link.sourceName);
      }
      for (const name of story.sourceNames) add(name);
    }
    for (const link of section.otherHeadlines ?? []) {
      add(link.title);
      add(link.sourceName);
    }
  }
  for (const reference of report.references) {
    add(reference.title);
    add(reference.sourceName);
  }
  const data = report.dataSections;
  for (const topic of data.risingTopics) add(topic.term);
  for (const repo of data.topRepositories) add(repo.name);
  for (const model of data.topModels) add(model.name);
  for (const paper of data.topPapers) add(paper.title);
  for (const entry of report.readingList ?? []) add(entry.title);
  for (const tag of report.tags) add(tag);
  for (const source of report.manifest.sources) add(source.name);
  // The demo is model-written code and its program's output: what it prints is not our log.
  if (report.demo) {
    add(report.demo.storyTitle);
    add(report.demo.shows);
    for (const text of [report.demo.code, report.demo.output]) {
      add(text);
      for (const line of text.split('\n')) add(line.trim());
    }
  }
  add(report.title);
  add(report.author);
  return [...new Set(out)];
}

/**
 * A function giving `text` with every occurrence of a fragment replaced by a neutral mark, longest
 * fragments first, so that checks meant for our own text do not read a source's words.
 */
export function fragmentMask(fragments: readonly string[], mark = '◇'): (text: string) => string {
  const sorted = [...new Set(fragments)].filter((fragment) => fragment.length > 0).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const fragment of sorted) if (out.includes(fragment)) out = out.split(fragment).join(mark);
    return out;
  };
}
