/**
 * The quality gate: the last check before anything is written or published. It returns every
 * problem it finds (an empty list means the report may go out); the caller refuses to publish
 * otherwise. Each check guards against one defect of the report this project replaces: invented
 * stories without links, a second date, console logs, local paths, leaked environment values and
 * empty sections.
 *
 * It refuses a report only for the report's own faults. Text a source wrote (the fields listed by
 * `sourceFragments`) may look like a log line or a path and is published as escaped text; the
 * log-line, path and stack-trace checks read our text only, with every source fragment masked.
 * ANSI escapes, credentials and environment values are refused wherever they are: the renderers
 * write source text through `publishableReport`, which removes the first two, and the run takes
 * environment values out of the report before rendering (`withoutEnvironmentValues`), so one left
 * in an output is our own text's. Which values count is `environmentValues`, shared by both.
 */
import { parseHTML } from 'linkedom';
import { parse as parseYaml } from 'yaml';
import { ABSOLUTE_PATH_PATTERNS, hasAnsi, LOG_LINE_PATTERNS } from '../core/hygiene.js';
import { citingParts, type Report } from '../core/report.js';
import {
  ALL_SECRET_PATTERNS,
  environmentValues,
  fragmentMask,
  publishableReport,
  sourceFragments,
} from '../core/source-text.js';
import { inWindow } from '../pipeline/window.js';
import { demoFencedBlocks, escapeMarkdown, markdownUrl } from './markdown.js';

/** Output of a program of ours: stack frames of a thrown error. */
const STACK_TRACE_PATTERNS: RegExp[] = [
  /^\s*at (?:async )?\S[^\n]*[:(][^\n]*:\d+:\d+\)?\s*$/m,
  /^\s*(?:Uncaught )?(?:[A-Z][A-Za-z]*Error|Error): [^\n]*\n\s+at /m,
];

export interface QualityGateInput {
  report: Report;
  markdown: string;
  json: string;
  /** The report's HTML page (src/render/html.ts); absent → not checked. */
  html?: string;
  /** The index and feed files published with the report; checked for ANSI, credentials and environment values. */
  site?: readonly { path: string; content: string }[];
  /** Paths the outputs will be written to (relative or absolute); checked for their dates only. */
  outputPaths: string[];
  /** URLs of the items collected in the window: the only URLs a report may link. */
  knownUrls: Set<string>;
  window: { date: string; start: string; end: string };
  /** Environment values that must never appear in an output (process.env). */
  env?: Record<string, string | undefined>;
}

const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const SLASH_DATE = /\b(\d{4})\/(\d{1,2})\/(\d{1,2})\b/g;
const CJK_DATE = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g;

/** Every calendar date written in `text`, as YYYY-MM-DD. */
export function datesIn(text: string): string[] {
  const out: string[] = [];
  const pad = (value: string) => value.padStart(2, '0');
  for (const pattern of [ISO_DATE, SLASH_DATE, CJK_DATE]) {
    for (const match of text.matchAll(pattern)) out.push(`${match[1]}-${pad(match[2]!)}-${pad(match[3]!)}`);
  }
  return out;
}

/** Four-digit years (1900–2099) written in `text`. */
function yearsIn(text: string): string[] {
  return [...text.matchAll(/(?<!\d)((?:19|20)\d{2})(?!\d)/g)].map((match) => match[1]!);
}

function frontMatterOf(markdown: string): {
  data: Record<string, unknown> | undefined;
  body: string;
  problem?: string;
} {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  if (!match) return { data: undefined, body: markdown, problem: 'markdown has no YAML front matter' };
  try {
    const data = parseYaml(match[1]!) as unknown;
    if (data === null || typeof data !== 'object') {
      return { data: undefined, body: markdown.slice(match[0].length), problem: 'front matter is not a mapping' };
    }
    return { data: data as Record<string, unknown>, body: markdown.slice(match[0].length) };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      data: undefined,
      body: markdown.slice(match[0].length),
      problem: `front matter is not valid YAML: ${message}`,
    };
  }
}

function checkStories(input: QualityGateInput, problems: string[]): void {
  const { report, knownUrls } = input;
  const storyCount = report.sections.reduce((sum, section) => sum + section.stories.length, 0);
  if (storyCount === 0) problems.push('no stories: the report has nothing to say');
  for (const section of report.sections) {
    if (section.stories.length === 0 && (section.otherHeadlines ?? []).length === 0)
      problems.push(`empty section: "${section.heading}" has no stories`);
    for (const link of section.otherHeadlines ?? []) {
      if (!knownUrls.has(link.url))
        problems.push(`other headline "${link.title}" links ${link.url}, which is not a collected item`);
    }
    for (const story of section.stories) {
      if (story.links.length === 0) problems.push(`story "${story.title}" has no link`);
      for (const link of story.links) {
        if (!knownUrls.has(link.url))
          problems.push(`story "${story.title}" links ${link.url}, which is not a collected item`);
      }
      if (story.summary.length === 0) problems.push(`story "${story.title}" has no summary`);
      for (const sentence of [...story.summary, ...(story.data ? [story.data] : [])]) {
        if (sentence.cites.length === 0) problems.push(`story "${story.title}" has a sentence without a citation`);
      }
    }
  }
  const numbers = new Set(report.references.map((reference) => reference.n));
  for (const reference of report.references) {
    if (!reference.url) problems.push(`reference [${reference.n}] has no URL`);
    else if (!knownUrls.has(reference.url)) {
      problems.push(`reference [${reference.n}] ${reference.url} is not the URL of a collected item`);
    }
    if (!inWindow(reference, input.window)) {
      problems.push(
        `reference [${reference.n}] was published at ${reference.publishedAt}, outside the window ${input.window.start} – ${input.window.end}`,
      );
    }
  }
  // Every citing part, the reading list included (core/report.ts#citingParts).
  const citedTexts = citingParts(report);
  for (const text of citedTexts) {
    for (const n of text.cites) if (!numbers.has(n)) problems.push(`citation [${n}] has no reference`);
  }
}

function checkDates(
  input: QualityGateInput,
  frontMatter: Record<string, unknown> | undefined,
  body: string,
  problems: string[],
): void {
  const { report } = input;
  const date = input.window.date;
  const year = date.slice(0, 4);
  if (report.date !== date) problems.push(`report date ${report.date} is not the window date ${date}`);
  for (const outputPath of input.outputPaths) {
    const normalized = outputPath.replace(/\\/g, '/');
    for (const found of datesIn(normalized.replace(/(\d{4})\/(\d{2})\/(?=\1-\2-)/g, ''))) {
      if (found !== date) problems.push(`output path ${outputPath} has date ${found}, not ${date}`);
    }
    const folder = /(?:^|\/)(\d{4})\/(\d{2})\/[^/]*$/.exec(normalized);
    if (folder && `${folder[1]}-${folder[2]}` !== date.slice(0, 7)) {
      problems.push(
        `output path ${outputPath} is in folder ${folder[1]}/${folder[2]}, not ${date.slice(0, 7).replace('-', '/')}`,
      );
    }
  }
  const checkTitleLike = (where: string, text: string) => {
    for (const found of datesIn(text)) if (found !== date) problems.push(`${where} has date ${found}, not ${date}`);
    for (const found of yearsIn(text)) if (found !== year) problems.push(`${where} has year ${found}, not ${year}`);
  };
  checkTitleLike('title', report.title);
  if (frontMatter) {
    const fmDate = frontMatter.date;
    const fmDateText = fmDate instanceof Date ? fmDate.toISOString() : typeof fmDate === 'string' ? fmDate : '';
    if (!fmDateText.startsWith(date)) problems.push(`front matter date "${fmDateText}" is not ${date}`);
    else if (typeof fmDate === 'string' && !/T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})$/.test(fmDate)) {
      problems.push(`front matter date "${fmDate}" has no time zone offset`);
    }
    if (typeof frontMatter.title !== 'string') problems.push('front matter has no title');
    else {
      if (frontMatter.title !== report.title) problems.push('front matter title differs from the report title');
      checkTitleLike('front matter title', frontMatter.title);
    }
  }
  // Our own headings (H1–H3) are report-date positions; story headings (H4) are source titles.
  for (const line of body.split('\n')) {
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (!heading) continue;
    for (const found of datesIn(heading[2]!))
      if (found !== date) problems.push(`heading "${line}" has date ${found}, not ${date}`);
    if (heading[1] === '#')
      for (const found of yearsIn(heading[2]!))
        if (found !== year) problems.push(`heading "${line}" has year ${found}, not ${year}`);
  }
  try {
    const parsed = JSON.parse(input.json) as { date?: unknown; title?: unknown };
    if (parsed.date !== date) problems.push(`JSON date ${String(parsed.date)} is not ${date}`);
    if (parsed.title !== report.title) problems.push('JSON title differs from the report title');
  } catch {
    problems.push('JSON output does not parse');
  }
}

function checkEmptySections(body: string, problems: string[]): void {
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(lines[i]!);
    if (!heading) continue;
    let next = i + 1;
    while (next < lines.length && lines[next]!.trim() === '') next++;
    const following = next < lines.length ? /^(#{1,6})\s/.exec(lines[next]!) : null;
    const ended = next >= lines.length;
    if (ended || (following && following[1]!.length <= heading[1]!.length)) {
      problems.push(`empty section: heading "${lines[i]}" has no content`);
    }
  }
}

/** Checks that hold for every character of an output, source text included. */
function checkEverywhere(name: string, text: string, input: QualityGateInput, problems: string[]): void {
  if (hasAnsi(text)) problems.push(`${name} contains ANSI escape sequences`);
  for (const pattern of ALL_SECRET_PATTERNS) {
    if (pattern.test(text))
      problems.push(`${name} contains something that looks like a credential (${pattern.source.slice(0, 12)}…)`);
  }
  const { report } = input;
  for (const { variable, value } of environmentValues(input.env ?? {}, [
    report.timezone,
    report.author,
    report.title,
  ])) {
    const jsonEscaped = JSON.stringify(value).slice(1, -1);
    if (text.includes(value) || text.includes(jsonEscaped))
      problems.push(`${name} contains the value of environment variable ${variable}`);
  }
}

/** Checks for output of our own program (logs, paths, stack traces): `text` has the source fragments masked. */
function checkOwnText(name: string, text: string, problems: string[]): void {
  for (const pattern of LOG_LINE_PATTERNS) {
    const match = pattern.exec(text);
    if (match) problems.push(`${name} contains a log-like line: "${lineAt(text, match.index + match[0].length - 1)}"`);
  }
  for (const pattern of ABSOLUTE_PATH_PATTERNS) {
    const match = pattern.exec(text);
    if (match) problems.push(`${name} contains an absolute path: "${lineAt(text, match.index + match[0].length - 1)}"`);
  }
  for (const pattern of STACK_TRACE_PATTERNS) {
    const match = pattern.exec(text);
    if (match) problems.push(`${name} contains a stack trace: "${lineAt(text, match.index + match[0].length - 1)}"`);
  }
}

/** Every string value in a parsed front matter, in document order. */
function stringsOf(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const entry of value) stringsOf(entry, out);
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, entry] of Object.entries(value)) {
      out.push(key);
      stringsOf(entry, out);
    }
  }
  return out;
}

/** Offsets of `]( `, `[x]: ` and `<scheme:` that Markdown reads as link syntax (not backslash-escaped). */
const UNESCAPED = '(?<=(?:^|[^\\\\])(?:\\\\\\\\)*)';
const INLINE_LINK = new RegExp(`${UNESCAPED}\\]\\(([^)\\s]*)\\)`, 'g');
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*(\S*)/gm;
const AUTOLINK = new RegExp(`${UNESCAPED}<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\\s]*)>`, 'g');

/** Every link destination in a Markdown body: inline links, reference definitions and autolinks. */
export function linkDestinations(body: string): string[] {
  const out: string[] = [];
  for (const pattern of [INLINE_LINK, REFERENCE_DEFINITION, AUTOLINK]) {
    for (const match of body.matchAll(pattern)) out.push(match[1]!);
  }
  return out;
}

/** A link in the Markdown may only point to a collected item, written as the renderer writes URLs. */
function checkLinks(body: string, knownUrls: Set<string>, problems: string[]): void {
  const allowed = new Set<string>();
  for (const url of knownUrls) {
    const destination = markdownUrl(url);
    if (destination) allowed.add(destination);
  }
  for (const destination of linkDestinations(body)) {
    if (!allowed.has(destination))
      problems.push(`markdown links "${destination.slice(0, 120)}", which is not the URL of a collected item`);
  }
}

/** Attributes whose value the browser treats as a URL. */
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'srcset',
  'action',
  'formaction',
  'poster',
  'data',
  'xlink:href',
  'ping',
]);

/**
 * The HTML page: no script, no event handler, no URL but a collected item's or an in-page
 * reference, the policy meta present; and none of our own output (logs, paths, stack traces) in
 * its text, read with the source fragments masked.
 */
function checkHtml(html: string, input: QualityGateInput, fragments: readonly string[], problems: string[]): void {
  const { document } = parseHTML(html);
  const policy = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? '';
  if (!/default-src 'none'/.test(policy) || /script-src/.test(policy)) {
    problems.push("HTML has no Content-Security-Policy meta with default-src 'none'");
  }
  if (document.querySelector('script, iframe, object, embed, form, base, link[rel~="stylesheet"]')) {
    problems.push(
      'HTML contains an element that loads or runs something (script, iframe, object, embed, form, base, stylesheet)',
    );
  }
  const allowed = new Set<string>();
  for (const url of input.knownUrls) {
    const destination = markdownUrl(url);
    if (destination) allowed.add(destination);
  }
  const ids = new Set([...document.querySelectorAll('[id]')].map((element) => element.getAttribute('id')));
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of [...element.attributes]) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on')) problems.push(`HTML has an event handler attribute ${name}`);
      if (!URL_ATTRIBUTES.has(name)) continue;
      const value = attribute.value;
      if (element.tagName.toLowerCase() === 'a' && name === 'href') {
        if (value.startsWith('#') ? ids.has(value.slice(1)) : allowed.has(value)) continue;
      }
      problems.push(
        `HTML ${element.tagName.toLowerCase()} ${name}="${value.slice(0, 120)}" is not a collected URL or an in-page anchor`,
      );
    }
  }
  checkEverywhere('HTML', html, input, problems);
  const text = document.body?.textContent ?? '';
  checkOwnText('HTML', fragmentMask(fragments)(text), problems);
}

/** Every string value (and key) in the JSON text, so that checks see the text as a reader would. */
function jsonStrings(json: string): string[] {
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) for (const entry of value) walk(entry);
    else if (value !== null && typeof value === 'object') {
      for (const [key, entry] of Object.entries(value)) {
        out.push(key);
        walk(entry);
      }
    }
  };
  try {
    walk(JSON.parse(json));
  } catch {
    out.push(json);
  }
  return out;
}

/** The line of `text` around `index`, shortened for a message. */
function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  const line = text.slice(start, end === -1 ? undefined : end).trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/**
 * Check a rendered report before it is written. Returns every problem found, one line each;
 * an empty list means the report passes.
 */
export function checkReport(unsafeInput: QualityGateInput): string[] {
  // The report as the renderers write it (source text made safe), so comparisons match the outputs.
  const input = { ...unsafeInput, report: publishableReport(unsafeInput.report) };
  const problems: string[] = [];
  const { data, body, problem } = frontMatterOf(input.markdown);
  if (problem) problems.push(problem);
  checkStories(input, problems);
  // The demo's fenced code and output are the demo's, shown as code: not dates, sections or links of ours.
  const demo = input.report.demo;
  const ourBody = demo ? demoFencedBlocks(demo).reduce((text, block) => text.split(block).join(''), body) : body;
  checkDates(input, data, ourBody, problems);
  checkEmptySections(ourBody, problems);
  checkLinks(ourBody, input.knownUrls, problems);
  checkEverywhere('markdown', input.markdown, input, problems);
  if (hasAnsi(input.json)) problems.push('JSON contains ANSI escape sequences');
  const jsonText = jsonStrings(input.json);
  checkEverywhere('JSON', jsonText.join('\n'), input, problems);

  // Our own text: every output with the source text masked (as written raw, and as escaped Markdown).
  const fragments = sourceFragments(input.report);
  const maskRaw = fragmentMask(fragments);
  const maskMarkdown = fragmentMask([
    ...fragments.map((fragment) => escapeMarkdown(fragment)),
    ...fragments.map((fragment) => escapeMarkdown(fragment, 'link-text')),
    ...fragments,
  ]);
  const frontMatterText = data
    ? stringsOf(data).map(maskRaw)
    : [input.markdown.slice(0, input.markdown.length - body.length)];
  checkOwnText('markdown', [...frontMatterText, maskMarkdown(body)].join('\n'), problems);
  checkOwnText('JSON', jsonText.map(maskRaw).join('\n'), problems);
  if (input.html !== undefined) checkHtml(input.html, input, fragments, problems);
  for (const file of input.site ?? []) checkEverywhere(file.path, file.content, input, problems);
  return [...new Set(problems)];
}
