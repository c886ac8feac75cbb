/**
 * Report → one standalone HTML page: inline `<style>` only, no script of any kind, a strict
 * Content-Security-Policy, every citation a link to its reference (`#ref-N`) and every other link
 * a collected http(s) URL written as the Markdown renderer writes it (`markdownUrl`).
 * All text goes through `escapeHtml`; source text is never written raw.
 * Pure and deterministic: same report → byte-identical page.
 */
import type { Report, ReportDemo, ReportStory } from '../core/report.js';
import { publishableReport } from '../core/source-text.js';
import type { CitedText } from '../core/types.js';
import { type RenderStrings, STRINGS } from './i18n.js';
import { aboutModeText, llmAboutEntries, modeName } from './llm-about.js';
import { markdownUrl } from './markdown.js';
import { failedSources, failedSourcesLine, hasDataSections, quietDay, risingTopicsNote } from './page-notes.js';
import { localMinute, utcMinute } from './time.js';
import { headlineUrl, titleAndLine } from './top-story.js';

/** The page's policy: nothing loads, nothing runs; only the inline style applies. */
export const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'";

/**
 * A standalone page of ours (a report, the reports' index): doctype, language, charset, the
 * Content-Security-Policy, viewport and referrer policy, title; `head` adds what the page needs in
 * its head (description, feed links, its style), already escaped.
 */
export function htmlPage(options: { lang: string; title: string; head: string[]; body: string[] }): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${options.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${HTML_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(options.title)}</title>`,
    ...options.head,
    '</head>',
    '<body>',
    ...options.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * Text as HTML text or a double-quoted attribute value: `& < > " '` become entities and control
 * characters (other than tab and line feed) and lone surrogates are dropped, so nothing a source
 * wrote can open a tag, end an attribute or start an entity.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** An http(s) URL as an `href` value (escaped), or undefined when it may not be a link. */
export function htmlHref(url: string): string | undefined {
  const destination = markdownUrl(url);
  return destination === undefined ? undefined : escapeHtml(destination);
}

/** `<a href="URL">text</a>` for an http(s) URL; the escaped text alone otherwise. */
function link(url: string | undefined, text: string): string {
  if (url === undefined) return escapeHtml(text);
  const href = htmlHref(url);
  return href ? `<a href="${href}" rel="noopener noreferrer nofollow">${escapeHtml(text)}</a>` : escapeHtml(text);
}

/** Citation markers as links to the references: `<a class="cite" href="#ref-3">[3]</a>`. */
function citeLinks(cites: readonly number[]): string {
  return cites.map((n) => `<a class="cite" href="#ref-${n}">[${n}]</a>`).join('');
}

function cited(text: CitedText, strings: RenderStrings): string {
  const markers = citeLinks(text.cites);
  return markers ? `${escapeHtml(text.text)}${escapeHtml(strings.citeJoin)}${markers}` : escapeHtml(text.text);
}

const STYLE = `
:root{color-scheme:light dark}
body{margin:0 auto;max-width:46rem;padding:1rem 1.1rem 3rem;line-height:1.7;font-size:17px;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;
color:#1f2328;background:#fff;overflow-wrap:anywhere;-webkit-text-size-adjust:100%}
@media (prefers-color-scheme:dark){body{color:#e6edf3;background:#0d1117}a{color:#58a6ff}}
h1{font-size:1.6rem;line-height:1.3;margin:.5rem 0}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #8884}
h3{font-size:1.12rem;margin-top:1.5rem}h4{font-size:1rem;margin:1.2rem 0 .3rem}
a{color:#0969da}a.cite{font-size:.8em;vertical-align:super;text-decoration:none;margin-left:1px}
.meta,.note,.sources{color:#6e7781;font-size:.92rem}
pre{overflow-x:auto;padding:.7rem;background:#8881;border-radius:6px;font-size:.85rem;line-height:1.45}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
ol.refs{font-size:.92rem;padding-left:1.6rem}ol.refs li{margin:.3rem 0}
:target{background:#fff8c5}@media (prefers-color-scheme:dark){:target{background:#3b2e00}}
h4 a,ol.top a{color:inherit;text-decoration-color:#0969da88;text-underline-offset:.18em}
nav.toc ul{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:.8rem 0 0}
nav.toc a{display:inline-block;padding:.25rem .7rem;border:1px solid #8886;border-radius:1rem;font-size:.9rem;text-decoration:none}
.quiet{padding:.5rem .8rem;border-left:3px solid #bf8700;background:#bf870014}
details summary{cursor:pointer}
`
  .trim()
  .replace(/\n/g, '');

function storyHtml(story: ReportStory, report: Report, strings: RenderStrings): string[] {
  const c = escapeHtml(strings.colon);
  const out = [`<h4>${link(headlineUrl(story), story.headline ?? story.title)}</h4>`];
  if (story.headline !== undefined) {
    out.push(`<p class="note"><em>${escapeHtml(strings.llm.originalTitle)}</em>${c}${escapeHtml(story.title)}</p>`);
  }
  if (story.stillTrending) out.push(`<p class="note"><em>${escapeHtml(strings.stillTrending)}</em></p>`);
  if (story.update) {
    out.push(
      `<p><strong>${escapeHtml(strings.updateLabel)}</strong>${c}${escapeHtml(strings.updateText(story.update.previousReportDate, story.update.newSourceCount))}</p>`,
    );
  }
  const onlyTheHeadline =
    story.summary.length === 1 &&
    story.summary[0]!.text.trim() === story.title.trim() &&
    story.summary[0]!.cites.length > 0;
  const sentences = onlyTheHeadline
    ? story.data
      ? [story.data]
      : []
    : [...story.summary, ...(story.data ? [story.data] : [])];
  if (story.digest) {
    // A digest: its own headlines as a list, each citing the digest; no sentence of its text.
    out.push(
      `<p class="note"><em>${escapeHtml(strings.digestHeadlines)}</em>${c}</p>`,
      '<ul class="digest">',
      ...story.summary.map((headline) => `<li>${cited(headline, strings)}</li>`),
      '</ul>',
    );
    if (story.data) out.push(`<p>${cited(story.data, strings)}</p>`);
  } else if (sentences.length > 0) {
    out.push(`<p>${sentences.map((sentence) => cited(sentence, strings)).join(escapeHtml(strings.sentenceJoin))}</p>`);
  }
  const links = story.links.map((entry) => link(entry.url, entry.sourceName)).join(' · ');
  const markers = onlyTheHeadline ? `${escapeHtml(strings.citeJoin)}${citeLinks(story.summary[0]!.cites)}` : '';
  out.push(`<p class="sources">${escapeHtml(strings.sourcesLabel)}${c}${links}${markers}</p>`);
  if (report.demo?.storyId === story.id) out.push(...demoHtml(report.demo, strings));
  return out;
}

function demoHtml(demo: ReportDemo, strings: RenderStrings): string[] {
  const c = escapeHtml(strings.colon);
  return [
    `<p><strong>${escapeHtml(strings.llm.demo)}</strong>${c}${escapeHtml(demo.shows)}${demo.cites.length > 0 ? `${escapeHtml(strings.citeJoin)}${citeLinks(demo.cites)}` : ''}</p>`,
    `<pre><code class="language-python">${escapeHtml(demo.code)}</code></pre>`,
    `<p class="note"><em>${escapeHtml(strings.llm.demoOutput)}</em>${c}</p>`,
    `<pre><code>${escapeHtml(demo.output)}</code></pre>`,
    `<p class="note">${escapeHtml(strings.llm.demoChecked(demo.commands.join('; '), strings.llm.demoLimits(demo.limits)))}${escapeHtml(strings.listSeparator)}${escapeHtml(strings.llm.demoFile)}${c}${escapeHtml(demo.path)}</p>`,
  ];
}

function listOf(heading: string, entries: string[]): string[] {
  if (entries.length === 0) return [];
  return [`<h3>${escapeHtml(heading)}</h3>`, '<ul>', ...entries.map((entry) => `<li>${entry}</li>`), '</ul>'];
}

function dataHtml(report: Report, strings: RenderStrings): string[] {
  // A section with nothing to show is left out (the about section says why rising topics are missing).
  if (!hasDataSections(report)) return [];
  const data = report.dataSections;
  const join = escapeHtml(strings.citeJoin);
  const out = [`<h2 id="data">${escapeHtml(strings.dataInsights)}</h2>`];
  if (data.risingTopics.length > 0) {
    out.push(`<h3>${escapeHtml(strings.risingTopics)}</h3>`, '<ul>');
    for (const topic of data.risingTopics) {
      const text = strings.risingLine(topic.today, topic.baseline, topic.baselineDays, topic.ratio);
      out.push(
        `<li><strong>${escapeHtml(topic.term)}</strong> — ${escapeHtml(text)}${join}${citeLinks(topic.cites)}</li>`,
      );
    }
    out.push('</ul>');
  }
  out.push(
    ...listOf(
      strings.topRepositories,
      data.topRepositories.map(
        (repo) =>
          `<strong>${escapeHtml(repo.name)}</strong> — ${escapeHtml(strings.repositoryLine(repo.stars, repo.starsGained))}${join}${citeLinks(repo.cites)}`,
      ),
    ),
    ...listOf(
      strings.topModels,
      data.topModels.map(
        (model) =>
          `<strong>${escapeHtml(model.name)}</strong> — ${escapeHtml(strings.modelLine(model.likes, model.downloads))}${join}${citeLinks(model.cites)}`,
      ),
    ),
    ...listOf(
      strings.topPapers,
      data.topPapers.map(
        (paper) =>
          `<strong>${escapeHtml(paper.title)}</strong> — ${escapeHtml(strings.paperLine(paper.points, paper.comments, paper.upvotes))}${join}${citeLinks(paper.cites)}`,
      ),
    ),
  );
  return out;
}

function insightsHtml(report: Report, strings: RenderStrings): string[] {
  const insights = report.insights;
  if (!insights) return [];
  const parts: [string, readonly CitedText[]][] = [
    [strings.llm.developerGuide, insights.developerGuide],
    [strings.llm.risks, insights.risks],
    [strings.llm.outlook, insights.outlook],
  ];
  return [
    `<h2 id="insights">${escapeHtml(strings.llm.insights)}</h2>`,
    `<p class="note"><em>${escapeHtml(strings.llm.insightsNote)}</em></p>`,
    ...parts.flatMap(([heading, sentences]) =>
      listOf(
        heading,
        sentences.map((sentence) => cited(sentence, strings)),
      ),
    ),
  ];
}

function aboutHtml(report: Report, strings: RenderStrings): string[] {
  const { manifest, window } = report;
  const c = escapeHtml(strings.colon);
  const attempted = manifest.sources.filter((source) => source.status !== 'disabled');
  const ok = attempted.filter((source) => source.status === 'ok' || source.status === 'not-modified');
  const failedLine = failedSourcesLine(report, strings);
  const rising = risingTopicsNote(report, strings);
  const entries = [
    `${escapeHtml(strings.mode)}${c}${escapeHtml(aboutModeText(report, strings))}`,
    `${escapeHtml(strings.windowUtc)}${c}${escapeHtml(`${utcMinute(window.start)} — ${utcMinute(window.end)}${strings.parenthesize(strings.hours(window.hours))}`)}`,
    `${escapeHtml(strings.windowLocal(report.timezone))}${c}${escapeHtml(`${localMinute(window.start, report.timezone)} — ${localMinute(window.end, report.timezone)}`)}`,
    `${escapeHtml(strings.sourcesLabel)}${c}${escapeHtml(strings.sourcesSummary(attempted.length, ok.length, manifest.sources.length - attempted.length))}`,
    // Failed sources as one line with a count; which ones and why, folded away (and in the JSON).
    ...(failedLine
      ? [
          [
            `<details><summary>${escapeHtml(failedLine)}</summary><ul>`,
            ...failedSources(report, strings).map(
              (source) => `<li>${escapeHtml(source.name)}${c}${escapeHtml(source.reason)}</li>`,
            ),
            '</ul></details>',
          ].join(''),
        ]
      : []),
    ...(rising ? [escapeHtml(rising)] : []),
    ...llmAboutEntries(report, strings, (text) => text).map(
      (entry) =>
        `${escapeHtml(entry.line)}${entry.sub.length > 0 ? `<ul>${entry.sub.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>` : ''}`,
    ),
    ...(report.withheld ? [escapeHtml(strings.withheld(report.withheld))] : []),
    `${escapeHtml(strings.version)}${c}ai-daily ${escapeHtml(manifest.version)}`,
  ];
  return [`<h2 id="about">${escapeHtml(strings.about)}</h2>`, ...listOf('', entries).slice(1)];
}

/** The section index: a link to each part the page has, in page order. */
function navHtml(report: Report, strings: RenderStrings): string[] {
  const entries: [string, string][] = [
    ['top', strings.topStories],
    ['summary', strings.executiveSummary],
    ...report.sections.map((section, index): [string, string] => [
      `section-${section.section}`,
      `${index + 1}. ${section.heading}`,
    ]),
    ...(report.insights ? [['insights', strings.llm.insights] as [string, string]] : []),
    ...(hasDataSections(report) ? [['data', strings.dataInsights] as [string, string]] : []),
    ['references', strings.references],
    ['about', strings.about],
  ];
  return [
    `<nav class="toc" aria-label="${escapeHtml(strings.contents)}"><ul>`,
    ...entries.map(([id, label]) => `<li><a href="#${id}">${escapeHtml(label)}</a></li>`),
    '</ul></nav>',
  ];
}

/** A quiet day says so at the top, in one line. */
function quietHtml(report: Report, strings: RenderStrings): string[] {
  const quiet = quietDay(report);
  return quiet ? [`<p class="quiet">${escapeHtml(strings.quietDay(quiet))}</p>`] : [];
}

/** The report page's style sheet (inline in the published page; a file of its own in the web app). */
export const REPORT_STYLE = STYLE;

/** A report page's parts: its language, title, description and body (header and main), escaped. */
export interface ReportHtmlParts {
  lang: string;
  title: string;
  description: string;
  body: string[];
}

/** Render the report as a standalone HTML page in the report's language. */
export function renderHtml(unsafeReport: Report): string {
  const parts = renderHtmlParts(unsafeReport);
  return htmlPage({
    lang: parts.lang,
    title: parts.title,
    head: [`<meta name="description" content="${escapeHtml(parts.description)}">`, `<style>${STYLE}</style>`],
    body: parts.body,
  });
}

/** The report page without its frame: the published page and the web app's report page share it. */
export function renderHtmlParts(unsafeReport: Report): ReportHtmlParts {
  const report = publishableReport(unsafeReport);
  const strings = STRINGS[report.language];
  const c = escapeHtml(strings.colon);
  const lang = report.language === 'zh' ? 'zh-CN' : 'en';
  const storyById = new Map(report.sections.flatMap((section) => section.stories.map((story) => [story.id, story])));
  const body: string[] = [
    '<header>',
    `<h1>${escapeHtml(report.title)}</h1>`,
    `<p class="meta"><strong>${escapeHtml(strings.reportDate)}</strong>${c}<time datetime="${escapeHtml(report.date)}">${escapeHtml(report.date)}</time>${escapeHtml(strings.parenthesize(report.timezone))} · <strong>${escapeHtml(strings.mode)}</strong>${c}${escapeHtml(modeName(report, strings))}</p>`,
    ...quietHtml(report, strings),
    ...navHtml(report, strings),
    '</header>',
    '<main>',
    `<h2 id="top">${escapeHtml(strings.topStories)}</h2>`,
    '<ol class="top">',
    ...report.topStories.map((top) => {
      const relation = titleAndLine(top.title, top.line.text);
      const title = `<strong>${link(headlineUrl(storyById.get(top.storyId)), top.title.trim())}</strong>`;
      if (relation.kind === 'same')
        return `<li>${title}${escapeHtml(strings.citeJoin)}${citeLinks(top.line.cites)}</li>`;
      if (relation.kind === 'leads') return `<li>${title}${cited({ ...top.line, text: relation.rest }, strings)}</li>`;
      return `<li>${title} — ${cited(top.line, strings)}</li>`;
    }),
    '</ol>',
    `<h2 id="summary">${escapeHtml(strings.executiveSummary)}</h2>`,
    '<ul>',
    ...report.executiveSummary.map((line) => `<li>${cited(line, strings)}</li>`),
    '</ul>',
    `<h2>${escapeHtml(strings.details)}</h2>`,
  ];
  report.sections.forEach((section, index) => {
    body.push(`<section>`, `<h3 id="section-${section.section}">${index + 1}. ${escapeHtml(section.heading)}</h3>`);
    if (section.analysis && section.analysis.length > 0) {
      const paragraph = section.analysis
        .map((sentence) => cited(sentence, strings))
        .join(escapeHtml(strings.sentenceJoin));
      body.push(`<p><strong>${escapeHtml(strings.llm.sectionAnalysis)}</strong>${c}${paragraph}</p>`);
    }
    for (const story of section.stories) body.push(...storyHtml(story, report, strings));
    const others = section.otherHeadlines ?? [];
    if (others.length > 0) {
      body.push(
        `<p class="other-headlines"><strong>${escapeHtml(strings.otherHeadlines)}</strong></p>`,
        '<ul class="other-headlines">',
        ...others.map((entry) => `<li>${escapeHtml(entry.title)} — ${link(entry.url, entry.sourceName)}</li>`),
        '</ul>',
      );
    }
    body.push('</section>');
  });
  body.push(...insightsHtml(report, strings), ...dataHtml(report, strings));
  body.push(`<h2 id="references">${escapeHtml(strings.references)}</h2>`, '<ol class="refs">');
  for (const reference of report.references) {
    const when = `${reference.dateFlag ? `${strings.firstSeen} ` : ''}${utcMinute(reference.publishedAt)}`;
    body.push(
      `<li id="ref-${reference.n}" value="${reference.n}">${link(reference.url, reference.title)} — ${escapeHtml(reference.sourceName)}, ${escapeHtml(when)}</li>`,
    );
  }
  body.push('</ol>', ...aboutHtml(report, strings), '</main>');
  return { lang, title: report.title, description: report.description.replace(/\s+/g, ' '), body };
}
