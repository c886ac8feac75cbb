/**
 * Report → Markdown with YAML front matter that Hugo, Hexo and Jekyll accept.
 *
 * Citations render as reference-style links, `[\[3\]][ref-3]`, whose definitions (`[ref-3]: URL`)
 * close the document: they render as "[3]" linking to the source in GitHub, Hugo (goldmark) and
 * Jekyll (kramdown) alike, and need no raw HTML anchors (which Hugo strips by default).
 * Pure and deterministic: same report → byte-identical text.
 */
import { stringify } from 'yaml';
import type { Report, ReportDemo, ReportStory, StoryLink } from '../core/report.js';
import { publishableReport } from '../core/source-text.js';
import type { CitedText, SourceKind } from '../core/types.js';
import { type RenderStrings, STRINGS } from './i18n.js';
import { aboutModeText, llmAboutEntries, modeName } from './llm-about.js';
import { failedSourcesLine, hasDataSections, quietDay, risingTopicsNote } from './page-notes.js';
import { localMinute, reportTimestamp, utcMinute } from './time.js';
import { headlineUrl, titleAndLine } from './top-story.js';

/**
 * Quoted source text as plain Markdown text: it cannot make a link, image, autolink, raw HTML,
 * emphasis, heading or a template tag of Hugo, Jekyll or Hexo, and it still reads the same. Only
 * what a renderer would read as markup where it stands is escaped, so the raw file reads as plain
 * text too ("demo_code/llm/demo_20260822.py", "GPT-4.5", "e.g." stay as written):
 *
 * - Markdown metacharacters are backslash-escaped, except a run of `_` between two letters or
 *   digits, which CommonMark (and kramdown) never reads as emphasis; an `&` that would start an
 *   entity becomes `&amp;`.
 * - Bare URLs cannot be autolinked (GFM, goldmark `linkify`, markdown-it `linkify`): every `//` is
 *   written `/&#47;`; a `.` that could end a domain name — after a letter or digit and before a
 *   label of two or more letters (or `xn--…`) that ends there, or after `www` — is written `\.`,
 *   so neither `www.` nor a bare domain is recognised; an `@` between word characters is `&#64;`.
 * - Template delimiters `{{ {% {# %} }} #}` get their second character as an HTML entity, which
 *   no template engine reads and every Markdown renderer shows as the character itself.
 * Line breaks become spaces: a piece of source text never starts a block of its own.
 *
 * `link-text`: the text of one of our links (`[text](url)`), where no renderer links a bare domain
 * (links do not nest), so "arXiv cs.AI" keeps its dot; `//`, `www.` and `@` are still broken.
 */
export function escapeMarkdown(text: string, context: 'text' | 'link-text' = 'text'): string {
  return neutraliseTemplates(
    neutraliseAutolinks(
      text
        .replace(/[\r\n\u2028\u2029\u0085]+/g, ' ')
        .replace(/&(?=#?[a-zA-Z0-9]+;)/g, '&amp;')
        .replace(/_+|[\\`*[\]<>#|~]/g, (match, offset: number, whole: string) =>
          match[0] === '_' && isWordCharacter(whole[offset - 1]) && isWordCharacter(whole[offset + match.length])
            ? match
            : match.replace(/./g, '\\$&'),
        ),
      context,
    ),
  );
}

/** A letter or digit: `_` between two of them is inside a word, never an emphasis delimiter. */
function isWordCharacter(char: string | undefined): boolean {
  return char !== undefined && /^[\p{L}\p{N}]$/u.test(char);
}

/**
 * A `.` that could end a domain name: after a letter, digit, `_` or `-`, before a label of two or
 * more letters (or `xn--…`) that ends there; or after `www`. Not when the name before it follows
 * an underscore inside a word ("demo_20260822.en.py"): no linkifier reads a host across a `_`,
 * and that `_` is left unescaped, so the word stays one piece of text.
 */
const DOMAIN_DOT =
  /(?<=[\p{L}\p{N}_-])(?<![\p{L}\p{N}]_+[\p{L}\p{N}][\p{L}\p{N}.-]*)\.(?=(?:\p{L}{2,}|xn--[\p{L}\p{N}-]*)(?![\p{L}\p{N}]))|(?<=www)\./giu;

/** The `.` after `www`: GFM and goldmark link `www.` even without a scheme. */
const WWW_DOT = /(?<=www)\./giu;

/** Break what GFM, goldmark and markdown-it would turn into a link: `scheme://`, `//host`, `www.`, domains, emails. */
export function neutraliseAutolinks(markdown: string, context: 'text' | 'link-text' = 'text'): string {
  return markdown
    .replace(/\/\//g, '/&#47;')
    .replace(context === 'text' ? DOMAIN_DOT : WWW_DOT, '\\.')
    .replace(/(?<=[\p{L}\p{N}._%+-])@(?=[\p{L}\p{N}_-])/gu, '&#64;');
}

/** Break the template delimiters of Hugo shortcodes, Liquid (Jekyll) and Nunjucks (Hexo). */
export function neutraliseTemplates(markdown: string): string {
  return markdown
    .replace(/\{\{/g, '{&#123;')
    .replace(/\{%/g, '{&#37;')
    .replace(/\{#/g, '{&#35;')
    .replace(/%\}/g, '%&#125;')
    .replace(/\}\}/g, '}&#125;')
    .replace(/#\}/g, '#&#125;');
}

/** Escape what would make a paragraph's first characters a list, heading underline, rule or code block. */
export function escapeLineStart(markdown: string): string {
  return markdown
    .replace(/^[ \t]+/, '')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2')
    .replace(/^([-+=])/, '\\$1');
}

/** Characters a link destination may hold as they are; everything else is percent-encoded. */
const DESTINATION_UNSAFE = /%(?![0-9A-Fa-f]{2})|&(?=#?[A-Za-z0-9]+;)|[^A-Za-z0-9\-._~:/?#@!$&'*+,;=%]/gu;

const UTF8 = new TextEncoder();

/** `%XX` for every UTF-8 byte of `char` (a lone surrogate encodes as U+FFFD). */
function percentEncode(char: string): string {
  return [...UTF8.encode(char)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/**
 * A URL as a link destination (`[text](…)`, `[ref-n]: …`) or autolink (`<…>`): every character
 * outside the RFC 3986 set is percent-encoded, and so are `(`, `)`, `[`, `]`, `<`, `>`, `\`,
 * quotes, spaces and controls, so that no URL can close a link or a reference definition. The
 * result points to the same resource. Only http(s) URLs are links: `undefined` for anything else.
 */
export function markdownUrl(url: string): string | undefined {
  if (!/^https?:\/\/[^/?#\s]/i.test(url)) return undefined;
  return url.replace(DESTINATION_UNSAFE, percentEncode);
}

/** "[\[1\]][ref-1][\[2\]][ref-2]" */
export function citeMarkers(cites: readonly number[]): string {
  return cites.map((n) => `[\\[${n}\\]][ref-${n}]`).join('');
}

function cited(text: CitedText, strings: RenderStrings): string {
  const markers = citeMarkers(text.cites);
  return markers ? `${escapeMarkdown(text.text)}${strings.citeJoin}${markers}` : escapeMarkdown(text.text);
}

/** A front matter string on one line: line breaks and other separators become spaces. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029\u0085\t]+/g, ' ');
}

/**
 * YAML front matter (between `---` lines). Every string is double-quoted on one line, so no value
 * can end the front matter, start a key or change a type. `render_with_liquid: false` (Jekyll) and
 * `disableNunjucks: true` (Hexo) tell those engines not to evaluate the body as a template; Hugo
 * only reads shortcodes, which `escapeMarkdown` breaks.
 */
export function frontMatter(report: Report): string {
  const sources = report.manifest.sources;
  const data = {
    title: oneLine(report.title),
    date: reportTimestamp(report.date, report.generatedAt, report.timezone),
    author: oneLine(report.author),
    categories: report.categories.map(oneLine),
    tags: report.tags.map(oneLine),
    description: oneLine(report.description),
    mode: report.manifest.mode,
    window: { start: report.window.start, end: report.window.end },
    counts: {
      stories: report.sections.reduce((sum, section) => sum + section.stories.length, 0),
      items: new Set(report.sections.flatMap((section) => section.stories.flatMap((story) => story.links))).size,
      sourcesOk: sources.filter((source) => source.status === 'ok' || source.status === 'not-modified').length,
      sourcesFailed: sources.filter((source) => source.status === 'failed').length,
    },
    render_with_liquid: false,
    disableNunjucks: true,
  };
  // YAML 1.1 quoting: Jekyll reads front matter as YAML 1.1, where yes/no/on/off are booleans.
  const yaml = stringify(data, {
    version: '1.1',
    lineWidth: 0,
    minContentWidth: 0,
    defaultStringType: 'QUOTE_DOUBLE',
    defaultKeyType: 'PLAIN',
  });
  return `---\n${yaml}---\n`;
}

/** A headline as a link to the story's best source (`headlineUrl`); the escaped text alone when it has none. */
function headlineLink(text: string, url: string | undefined): string {
  const destination = url === undefined ? undefined : markdownUrl(url);
  return destination ? `[${escapeMarkdown(text, 'link-text')}](${destination})` : escapeMarkdown(text);
}

function storyBlock(story: ReportStory, strings: RenderStrings): string[] {
  const lines = [`#### ${headlineLink(story.headline ?? story.title, headlineUrl(story))}`, ''];
  if (story.headline !== undefined) {
    lines.push(`*${strings.llm.originalTitle}*${strings.colon}${escapeMarkdown(story.title)}`, '');
  }
  if (story.stillTrending) lines.push(`*${strings.stillTrending}*`, '');
  if (story.update) {
    lines.push(
      `**${strings.updateLabel}**${strings.colon}${strings.updateText(story.update.previousReportDate, story.update.newSourceCount)}`,
      '',
    );
  }
  const links = story.links.map((link) => {
    const destination = markdownUrl(link.url);
    return destination
      ? `[${escapeMarkdown(link.sourceName, 'link-text')}](${destination})`
      : escapeMarkdown(link.sourceName);
  });
  // A source that gave only a headline: its one "sentence" is the heading above, so the citation
  // goes with the source line instead of repeating the headline.
  const onlyTheHeadline =
    story.summary.length === 1 &&
    story.summary[0]!.text.trim() === story.title.trim() &&
    story.summary[0]!.cites.length > 0;
  if (onlyTheHeadline) {
    const markers = citeMarkers(story.summary[0]!.cites);
    if (story.data) lines.push(escapeLineStart(cited(story.data, strings)), '');
    lines.push(`${strings.sourcesLabel}${strings.colon}${links.join(' · ')}${strings.citeJoin}${markers}`, '');
    return lines;
  }
  if (story.digest) {
    // A digest: its own headlines as a list, each citing the digest; no sentence of its text.
    lines.push(`*${strings.digestHeadlines}*${strings.colon}`, '');
    for (const headline of story.summary) lines.push(`- ${escapeLineStart(cited(headline, strings))}`);
    lines.push('');
    if (story.data) lines.push(escapeLineStart(cited(story.data, strings)), '');
    lines.push(`${strings.sourcesLabel}${strings.colon}${links.join(' · ')}`, '');
    return lines;
  }
  const sentences = [...story.summary, ...(story.data ? [story.data] : [])];
  lines.push(escapeLineStart(sentences.map((sentence) => cited(sentence, strings)).join(strings.sentenceJoin)), '');
  lines.push(`${strings.sourcesLabel}${strings.colon}${links.join(' · ')}`, '');
  return lines;
}

/** A section's items with nothing to say beyond their headline: one line each, title, source and link. */
function otherHeadlinesBlock(headlines: readonly StoryLink[], strings: RenderStrings): string[] {
  if (headlines.length === 0) return [];
  const lines = [`**${strings.otherHeadlines}**`, ''];
  for (const headline of headlines) {
    const destination = markdownUrl(headline.url);
    const name = escapeMarkdown(headline.sourceName);
    lines.push(`- ${escapeMarkdown(headline.title)} — ${destination ? `[${name}](${destination})` : name}`);
  }
  return [...lines, ''];
}

function dataBlock(report: Report, strings: RenderStrings): string[] {
  // A section with nothing to show is left out (the about section says why rising topics are missing).
  if (!hasDataSections(report)) return [];
  const data = report.dataSections;
  const lines = [`## ${strings.dataInsights}`, ''];
  if (data.risingTopics.length > 0) {
    lines.push(`### ${strings.risingTopics}`, '');
    for (const topic of data.risingTopics) {
      const text = strings.risingLine(topic.today, topic.baseline, topic.baselineDays, topic.ratio);
      lines.push(`- **${escapeMarkdown(topic.term)}** — ${text}${strings.citeJoin}${citeMarkers(topic.cites)}`);
    }
    lines.push('');
  }
  const list = (heading: string, entries: string[]) => {
    if (entries.length === 0) return;
    lines.push(`### ${heading}`, '', ...entries, '');
  };
  list(
    strings.topRepositories,
    data.topRepositories.map(
      (repo) =>
        `- **${escapeMarkdown(repo.name)}** — ${strings.repositoryLine(repo.stars, repo.starsGained)}${strings.citeJoin}${citeMarkers(repo.cites)}`,
    ),
  );
  list(
    strings.topModels,
    data.topModels.map(
      (model) =>
        `- **${escapeMarkdown(model.name)}** — ${strings.modelLine(model.likes, model.downloads)}${strings.citeJoin}${citeMarkers(model.cites)}`,
    ),
  );
  list(
    strings.topPapers,
    data.topPapers.map(
      (paper) =>
        `- **${escapeMarkdown(paper.title)}** — ${strings.paperLine(paper.points, paper.comments, paper.upvotes)}${strings.citeJoin}${citeMarkers(paper.cites)}`,
    ),
  );
  return lines;
}

/** True when the UTC days of the window include a Saturday or Sunday. */
function windowHasWeekend(start: string, end: string): boolean {
  const first = Date.parse(`${start.slice(0, 10)}T00:00:00Z`);
  for (let day = first; day <= Date.parse(end); day += 86_400_000) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) return true;
  }
  return false;
}

function aboutBlock(report: Report, strings: RenderStrings): string[] {
  const manifest = report.manifest;
  const { window } = report;
  const sources = manifest.sources;
  const attempted = sources.filter((source) => source.status !== 'disabled');
  const ok = attempted.filter((source) => source.status === 'ok' || source.status === 'not-modified');
  const disabled = sources.length - attempted.length;
  const c = strings.colon;
  const lines = [
    `## ${strings.about}`,
    '',
    `- ${strings.mode}${c}${aboutModeText(report, strings)}`,
    `- ${strings.windowUtc}${c}${utcMinute(window.start)} — ${utcMinute(window.end)}${strings.parenthesize(strings.hours(window.hours))}`,
    `- ${strings.windowLocal(report.timezone)}${c}${localMinute(window.start, report.timezone)} — ${localMinute(window.end, report.timezone)}`,
    // Failed sources as one count: each one's name and error are in the report's JSON (manifest.sources).
    `- ${strings.sourcesLabel}${c}${[strings.sourcesSummary(attempted.length, ok.length, disabled), failedSourcesLine(report, strings)].filter(Boolean).join(strings.listSeparator)}`,
  ];
  const counts = manifest.counts;
  const stageOrder = [
    'stored',
    'inWindow',
    'instructionTitles',
    'offTopic',
    'stories',
    'storyItems',
    'alreadyReported',
    'overCap',
    'selected',
    'selectedItems',
  ] as const;
  lines.push(
    `- ${strings.stageCounts}${c}${stageOrder
      // Titles that are instructions are named only on a day that had one.
      .filter((key) => key !== 'instructionTitles' || (counts[key] ?? 0) > 0)
      .map((key) => `${strings.stageLabels[key]} ${counts[key] ?? 0}`)
      .join(strings.listSeparator)}`,
  );
  if (manifest.emptyKinds.length > 0) {
    const weekend = windowHasWeekend(window.start, window.end);
    const kinds = [...manifest.emptyKinds].sort() as SourceKind[];
    lines.push(
      `- ${strings.emptyKinds}${c}${kinds.map((kind) => strings.emptyKind(kind, weekend)).join(strings.listSeparator)}`,
    );
  }
  const rising = risingTopicsNote(report, strings);
  if (rising) lines.push(`- ${rising}`);
  if (report.withheld) lines.push(`- ${strings.withheld(report.withheld)}`);
  lines.push(...llmAboutLines(report, strings));
  lines.push(
    `- ${manifest.durationMs === null ? strings.notTimed : strings.duration((manifest.durationMs / 1000).toFixed(1))}`,
    `- ${strings.version}${c}ai-daily ${escapeMarkdown(manifest.version)}`,
    '',
  );
  return lines;
}

/** LLM mode: the model, how many stories it wrote, and what the citation check kept and dropped per part. */
/** A fence of backticks longer than any backtick run in `text` (at least three). */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * Model-written code or its output as a fenced block: nothing inside can end the fence; Hugo
 * shortcode openers (read even inside code blocks) are broken; Liquid and Nunjucks are off for
 * the whole page (front matter). The published file keeps the code byte for byte.
 */
function codeBlock(text: string, info: string): string[] {
  // Runs of blank lines shown as one (the document's own rule), so the block is what the body holds.
  const body = text
    .replace(/\r\n?/g, '\n')
    .replace(/\n+$/, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\{\{(\s*[<%])/g, '{ {$1');
  const fence = fenceFor(body);
  return [`${fence}${info}`, ...(body === '' ? [] : body.split('\n')), fence];
}

/**
 * The demo's fenced blocks exactly as the body holds them: the gate reads them as the demo's
 * (its link, date and empty-section checks skip them; nothing in them is a link outside the fence).
 */
export function demoFencedBlocks(demo: ReportDemo): string[] {
  return [codeBlock(demo.code, 'python').join('\n'), codeBlock(demo.output, 'text').join('\n')];
}

/** LLM mode: the demo beside its story — what it shows, the code, its real output, how it was checked. */
function demoBlock(demo: ReportDemo, strings: RenderStrings): string[] {
  const c = strings.colon;
  return [
    `**${strings.llm.demo}**${c}${escapeMarkdown(demo.shows)}${demo.cites.length > 0 ? `${strings.citeJoin}${citeMarkers(demo.cites)}` : ''}`,
    '',
    ...codeBlock(demo.code, 'python'),
    '',
    `*${strings.llm.demoOutput}*${c}`,
    '',
    ...codeBlock(demo.output, 'text'),
    '',
    `*${strings.llm.demoChecked(
      demo.commands.map((command) => escapeMarkdown(command)).join('; '),
      strings.llm.demoLimits(demo.limits),
    )}*${strings.listSeparator}${strings.llm.demoFile}${c}${escapeMarkdown(demo.path)}`,
    '',
  ];
}

function llmAboutLines(report: Report, strings: RenderStrings): string[] {
  return llmAboutEntries(report, strings, escapeMarkdown).flatMap((entry) => [
    `- ${entry.line}`,
    ...entry.sub.map((line) => `  - ${line}`),
  ]);
}

/** LLM mode: developer guide, risks and outlook, labelled as analysis; parts that fell back are left out. */
function insightsBlock(report: Report, strings: RenderStrings): string[] {
  const insights = report.insights;
  if (!insights) return [];
  const lines = [`## ${strings.llm.insights}`, '', `*${strings.llm.insightsNote}*`, ''];
  const part = (heading: string, sentences: readonly CitedText[]) => {
    if (sentences.length === 0) return;
    lines.push(`### ${heading}`, '');
    for (const sentence of sentences) lines.push(`- ${cited(sentence, strings)}`);
    lines.push('');
  };
  part(strings.llm.developerGuide, insights.developerGuide);
  part(strings.llm.risks, insights.risks);
  part(strings.llm.outlook, insights.outlook);
  return lines;
}

/** Render the report as Markdown: front matter, then the body in the report's language. */
export function renderMarkdown(unsafeReport: Report): string {
  const report = publishableReport(unsafeReport);
  const strings = STRINGS[report.language];
  const c = strings.colon;
  const lines: string[] = [
    `# ${escapeMarkdown(report.title)}`,
    '',
    `**${strings.reportDate}**${c}${report.date}${strings.parenthesize(report.timezone)} · **${strings.mode}**${c}${modeName(report, strings)}`,
    '',
  ];
  const quiet = quietDay(report);
  if (quiet) lines.push(`*${strings.quietDay(quiet)}*`, '');
  lines.push(`## ${strings.topStories}`, '');
  const storyById = new Map(report.sections.flatMap((section) => section.stories.map((story) => [story.id, story])));
  report.topStories.forEach((top, index) => {
    const relation = titleAndLine(top.title, top.line.text);
    const title = `**${headlineLink(top.title.trim(), headlineUrl(storyById.get(top.storyId)))}**`;
    const body =
      relation.kind === 'same'
        ? `${title}${strings.citeJoin}${citeMarkers(top.line.cites)}`
        : relation.kind === 'leads'
          ? `${title}${cited({ ...top.line, text: relation.rest }, strings)}`
          : `${title} — ${cited(top.line, strings)}`;
    lines.push(`${index + 1}. ${body}`);
  });
  lines.push('', `## ${strings.executiveSummary}`, '');
  for (const line of report.executiveSummary) lines.push(`- ${cited(line, strings)}`);
  lines.push('', `## ${strings.details}`, '');
  report.sections.forEach((section, index) => {
    lines.push(`### ${index + 1}. ${escapeMarkdown(section.heading)}`, '');
    if (section.analysis && section.analysis.length > 0) {
      const paragraph = section.analysis.map((sentence) => cited(sentence, strings)).join(strings.sentenceJoin);
      lines.push(`**${strings.llm.sectionAnalysis}**${strings.colon}${paragraph}`, '');
    }
    for (const story of section.stories) {
      lines.push(...storyBlock(story, strings));
      if (report.demo?.storyId === story.id) lines.push(...demoBlock(report.demo, strings));
    }
    lines.push(...otherHeadlinesBlock(section.otherHeadlines ?? [], strings));
  });
  lines.push(...insightsBlock(report, strings));
  lines.push(...dataBlock(report, strings));
  lines.push(`## ${strings.references}`, '');
  for (const reference of report.references) {
    const destination = markdownUrl(reference.url);
    lines.push(
      `${reference.n}. ${escapeMarkdown(reference.title)} — ${escapeMarkdown(reference.sourceName)}, ${reference.dateFlag ? `${strings.firstSeen} ` : ''}${utcMinute(reference.publishedAt)}${destination ? ` — <${destination}>` : ''}`,
    );
  }
  lines.push('', ...aboutBlock(report, strings));
  for (const reference of report.references) {
    const destination = markdownUrl(reference.url);
    if (destination) lines.push(`[ref-${reference.n}]: ${destination}`);
  }
  const body = `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
  return `${frontMatter(report)}\n${body}`;
}
