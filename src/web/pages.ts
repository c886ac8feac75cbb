/**
 * The pages: each a pure function from plain rows (WebQueries) to HTML, and the data functions
 * that the page and its JSON twin share. Source text goes through `h` (escaped); links out are
 * `externalLink` (http(s) only, collected URLs only).
 */
import type { Report } from '../core/report.js';
import { DEFAULT_REPORT_ID } from '../core/report.js';
import { renderHtmlParts } from '../render/html.js';
import type {
  PublishedStoryRow,
  ReportEntry,
  RunRow,
  SearchResult,
  SourceStatusRow,
  StoryDetail,
  StoryLanguages,
} from '../store/queries/index.js';
import { availabilityChart, horizontalBarChart, stackedBarChart } from './charts.js';
import type { WebData } from './data.js';
import {
  code,
  externalLink,
  h,
  highlight,
  localLink,
  page,
  percent,
  queryOf,
  raw,
  reportPath,
  type SafeHtml,
  storyPath,
  time,
} from './html.js';
import {
  isWebLanguage,
  LANGUAGE_NAMES,
  type Labels,
  labels,
  SCORE_PARTS,
  type Scope,
  WEB_LANGUAGES,
  type WebLanguage,
  wordFor,
} from './labels.js';

/** Days shown by the charts. */
const CHART_DAYS = 14;
/** Report dates the archive lists. */
const ARCHIVE_DAYS = 60;
/** Top stories shown per day in the archive. */
const TOP_PER_DAY = 5;

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function datesBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = first; d <= last && out.length < 400; d = shiftDate(d, 1)) out.push(d);
  return out;
}

// ── the reports of the deployment ──────────────────────────────────────────

/** The report `/reports/:date` shows without `?report=`: `default` when there is one, else the first. */
export function defaultReportId(data: WebData): string {
  return data.reports.find((r) => r.id === DEFAULT_REPORT_ID)?.id ?? data.reports[0]?.id ?? DEFAULT_REPORT_ID;
}

/** Whether pages name the report: the deployment has several (or the store holds one not configured). */
function several(data: WebData, ids: readonly string[] = []): boolean {
  return data.reports.length > 1 || ids.some((id) => id !== defaultReportId(data));
}

/** The report id a link carries: none where the deployment has one report and this is it. */
function linkReport(data: WebData, report: string): string | undefined {
  return several(data, [report]) ? report : undefined;
}

/** A report's name for a page: its title and id, or its id. */
export function reportName(data: WebData, report: string): string {
  const title = data.reports.find((r) => r.id === report)?.title;
  return title && title !== report ? `${title} (${report})` : report;
}

// ── the language of a page's chrome ───────────────────────────────────────

/**
 * What a page's chrome speaks (`lang`), and the `lang` its links within the app keep (`keep`):
 * none where it is the deployment's own language (the default of every page).
 */
export interface Chrome {
  lang: WebLanguage;
  keep?: WebLanguage;
  words: Labels;
}

export function chrome(data: WebData, lang: WebLanguage): Chrome {
  return { lang, ...(lang === data.language ? {} : { keep: lang }), words: labels(lang) };
}

/** The chrome of a page about a report's copy in `language`: that language (else the deployment's). */
function chromeOfCopy(data: WebData, language: string): Chrome {
  return chrome(data, isWebLanguage(language) ? language : data.language);
}

/** The language a page about this report speaks without `?lang=`: the report's own. */
export function reportLanguage(data: WebData, report: string | undefined): WebLanguage {
  return report === undefined ? data.language : (data.reports.find((r) => r.id === report)?.language ?? data.language);
}

/** The frame options of a page that is of no one report's copy: its language, what links keep, the language switch. */
function frame(data: WebData, ui: Chrome, path: string, params: Record<string, string | undefined> = {}) {
  const switchTo = Object.fromEntries(
    WEB_LANGUAGES.map((language) => [
      language,
      `${path}${queryOf({ ...params, lang: language === data.language ? undefined : language })}`,
    ]),
  ) as Record<WebLanguage, string>;
  return { lang: ui.lang, ...(ui.keep === undefined ? {} : { keepLang: ui.keep }), switchTo };
}

/** "In <report> only · every report": a page narrowed by `?report=` says so, and links to `all` (the page unnarrowed). */
function withinReport(
  data: WebData,
  ui: Chrome,
  report: string | undefined,
  all: string,
  className: string,
): SafeHtml | '' {
  const href = `${all}${all.includes('?') ? (ui.keep ? `&lang=${ui.keep}` : '') : queryOf({ lang: ui.keep })}`;
  return report === undefined
    ? ''
    : h`<p class="report-links ${className}">${ui.words.withinReport(reportName(data, report))} · ${localLink(href, ui.words.everyReport)}</p>`;
}

/** Whether the deployment has this report, or the store holds reports of it. */
export async function knownReport(data: WebData, report: string): Promise<boolean> {
  if (data.reports.some((r) => r.id === report)) return true;
  return (await data.queries.listReports()).some((r) => r.report === report);
}

/** The language a report is written in by default (its own, from the config). */
function languageOf(data: WebData, report: string): string {
  return data.reports.find((r) => r.id === report)?.language ?? data.language;
}

/**
 * Which copy of each story a page that is of no one language shows (a report written in two
 * languages on one day keeps each one's stories): its report's own language, as `pickReport` picks
 * a report file, else the first language there is.
 */
export function storyLanguages(data: WebData): StoryLanguages {
  return { prefer: Object.fromEntries(data.reports.map((r) => [r.id, r.language])), otherwise: data.language };
}

/** `language` where a link must carry it: not the report's own language (the page's default). */
function linkLanguage(data: WebData, report: string, language: string): string | undefined {
  return language === languageOf(data, report) ? undefined : language;
}

/** The configured reports first (the config's order), then any other the store holds (by id). */
function reportOrder(data: WebData, ids: Iterable<string>): string[] {
  const configured = data.reports.map((r) => r.id);
  const others = [...new Set(ids)].filter((id) => !configured.includes(id)).sort();
  const present = new Set(ids);
  return [...configured.filter((id) => present.has(id)), ...others];
}

// ── the archive ─────────────────────────────────────────────────────────────

/** One report's part of a day in the archive: its languages and its top stories. */
export interface ArchiveReport {
  report: string;
  /** The report's title and id (its id without a title). */
  name: string;
  entries: ReportEntry[];
  stories: PublishedStoryRow[];
}

export interface ArchiveDay {
  date: string;
  /** Every report file of the day (each report, each language). */
  reports: ReportEntry[];
  /** Each report's top stories, the configured reports in the config's order. */
  byReport: ArchiveReport[];
}

export interface ArchiveData {
  /** The report the archive was narrowed to (`?report=`), if any. */
  report?: string;
  days: ArchiveDay[];
  /** Report dates older than the days listed with their stories. */
  older: { date: string; reports: string[]; languages: string[] }[];
  /** Items per section per report date, over the CHART_DAYS days up to the newest report. */
  sections: { dates: string[]; series: { name: string; values: number[] }[] };
  /** Terms the reports of those days listed as rising: on how many days, and items that used them. */
  risingTerms: { term: string; days: number; items: number }[];
}

/**
 * The archive: each day's reports with each report's top stories; the charts over the reports
 * listed (every report, or the one of `report`).
 */
export async function archiveData(data: WebData, report?: string): Promise<ArchiveData> {
  const reports = (await data.queries.listReports()).filter((r) => report === undefined || r.report === report);
  const byDate = new Map<string, ReportEntry[]>();
  for (const entry of reports) byDate.set(entry.date, [...(byDate.get(entry.date) ?? []), entry]);
  const dates = [...byDate.keys()].sort().reverse();
  const shown = dates.slice(0, ARCHIVE_DAYS);
  const stories = await data.queries.storiesOfDates(shown, report, storyLanguages(data));
  const fileOf = new Map<string, Report | undefined>();
  const readFile = (date: string, id: string): Report | undefined => {
    const key = `${id} ${date}`;
    if (!fileOf.has(key)) {
      const entries = (byDate.get(date) ?? []).filter((e) => e.report === id);
      const entry = pickReport(entries, languageOf(data, id));
      fileOf.set(key, entry ? data.readReport(entry) : undefined);
    }
    return fileOf.get(key);
  };
  const idsOf = (date: string): string[] =>
    reportOrder(
      data,
      (byDate.get(date) ?? []).map((e) => e.report),
    );
  const days = shown.map((date) => ({
    date,
    reports: byDate.get(date) ?? [],
    byReport: idsOf(date).map((id) => ({
      report: id,
      name: reportName(data, id),
      entries: (byDate.get(date) ?? []).filter((e) => e.report === id),
      stories: topStories(
        stories.filter((s) => s.reportDate === date && s.report === id),
        readFile(date, id),
      ),
    })),
  }));

  const newest = dates[0];
  let sections: ArchiveData['sections'] = { dates: [], series: [] };
  const rising = new Map<string, { term: string; days: number; items: number }>();
  if (newest) {
    const first = shiftDate(newest, -(CHART_DAYS - 1));
    const counts = await data.queries.sectionCountsSince(first, report, storyLanguages(data));
    const chartDates = datesBetween(first, newest);
    const names = [...new Set(counts.map((row) => row.section))];
    sections = {
      dates: chartDates,
      series: names.map((name) => ({
        name,
        values: chartDates.map((date) =>
          counts.filter((row) => row.date === date && row.section === name).reduce((sum, row) => sum + row.items, 0),
        ),
      })),
    };
    for (const date of dates.filter((d) => d >= first)) {
      // A term counts once a day, however many reports list it.
      const today = new Map<string, number>();
      for (const id of idsOf(date)) {
        for (const topic of readFile(date, id)?.dataSections?.risingTopics ?? [])
          today.set(topic.term, Math.max(today.get(topic.term) ?? 0, topic.today));
      }
      for (const [term, items] of today) {
        const seen = rising.get(term) ?? { term, days: 0, items: 0 };
        seen.days += 1;
        seen.items += items;
        rising.set(term, seen);
      }
    }
  }
  const risingTerms = [...rising.values()]
    .sort((a, b) => b.days - a.days || b.items - a.items || a.term.localeCompare(b.term))
    .slice(0, 15);
  const older = dates.slice(ARCHIVE_DAYS).map((date) => ({
    date,
    reports: idsOf(date),
    languages: [...new Set((byDate.get(date) ?? []).map((r) => r.language))],
  }));
  return { ...(report === undefined ? {} : { report }), days, older, sections, risingTerms };
}

/**
 * A day's top stories: in the order of the report's "top stories" when its file is there; then
 * in the stored order (the report's: top stories, then the sections' stories; app/daily-run
 * `asPublished`), up to TOP_PER_DAY.
 */
function topStories(stories: readonly PublishedStoryRow[], report: Report | undefined): PublishedStoryRow[] {
  const order = new Map((report?.topStories ?? []).map((top, index) => [top.storyId, index]));
  return [...stories]
    .sort(
      (a, b) =>
        (order.get(a.storyId) ?? Number.POSITIVE_INFINITY) - (order.get(b.storyId) ?? Number.POSITIVE_INFINITY) ||
        a.position - b.position,
    )
    .slice(0, TOP_PER_DAY);
}

function pickReport(entries: readonly ReportEntry[], language: string | undefined): ReportEntry | undefined {
  return entries.find((e) => e.language === language) ?? entries[0];
}

function storyLine(data: WebData, ui: Chrome, story: PublishedStoryRow): SafeHtml {
  return h`${localLink(storyPath(story.storyId, story.reportDate, linkReport(data, story.report), linkLanguage(data, story.report, story.language)), story.title)} ${badge(ui, story.updateOf)} <span class="muted">${ui.words.sectionName(story.section)} · ${ui.words.sourceCount(story.sourceCount)}</span>`;
}

function badge(ui: Chrome, updateOf: string | undefined): SafeHtml {
  return updateOf
    ? h`<span class="badge update" title="${ui.words.firstReported(updateOf)}">${ui.words.badgeUpdate}</span>`
    : h`<span class="badge new">${ui.words.badgeNew}</span>`;
}

export function archivePage(data: WebData, archive: ArchiveData, ui: Chrome): string {
  const words = ui.words;
  const across: Scope =
    archive.report !== undefined
      ? { report: reportName(data, archive.report) }
      : data.reports.length > 1
        ? 'every'
        : 'one';
  const charts =
    archive.days.length === 0
      ? h``
      : h`<section class="charts" aria-labelledby="charts-heading"><h2 id="charts-heading">${words.lastDays(CHART_DAYS)}</h2>
<figure>${raw(
          stackedBarChart({
            id: 'chart-sections',
            title: words.sectionsChartTitle(CHART_DAYS),
            categories: archive.sections.dates,
            series: archive.sections.series.map((s) => ({ name: words.sectionName(s.name), values: s.values })),
          }),
        )}<figcaption>${words.sectionsCaption(across)}</figcaption></figure>
${
  archive.risingTerms.length === 0
    ? h`<p class="muted rising-none">${words.risingNone}</p>`
    : h`<figure>${raw(
        horizontalBarChart({
          id: 'chart-rising',
          title: words.risingChartTitle(CHART_DAYS),
          empty: words.noData,
          bars: archive.risingTerms.map((t) => ({
            label: t.term,
            value: t.days,
            note: words.risingNote(t.days, t.items),
          })),
        }),
      )}<figcaption>${words.risingCaption(across)}</figcaption></figure>`
}
</section>`;
  const named = several(
    data,
    archive.days.flatMap((day) => day.byReport.map((r) => r.report)),
  );
  const only = archive.report === undefined ? undefined : linkReport(data, archive.report);
  const reportLinks = (date: string, group: ArchiveReport): SafeHtml =>
    h`<p class="report-links">${group.entries.map((r, i) => h`${i > 0 ? ' · ' : ''}${localLink(reportPath(date, r.language, linkReport(data, r.report)), words.reportIn(r.language))}`)}</p>`;
  const days = archive.days.map((day) =>
    named
      ? h`<section class="day" aria-labelledby="day-${day.date}">
<h3 id="day-${day.date}">${day.date}</h3>
${day.byReport.map(
  (
    group,
  ) => h`<section class="day-report" data-report="${group.report}" aria-labelledby="day-${day.date}-${group.report}">
<h4 id="day-${day.date}-${group.report}">${localLink(reportPath(day.date, undefined, linkReport(data, group.report)), group.name)}</h4>
${reportLinks(day.date, group)}
<ol class="stories">${group.stories.map((s) => h`<li>${storyLine(data, ui, s)}</li>`)}</ol>
</section>`,
)}
</section>`
      : h`<section class="day" aria-labelledby="day-${day.date}">
<h3 id="day-${day.date}">${localLink(reportPath(day.date), day.date)}</h3>
${day.byReport.map(
  (group) => h`${reportLinks(day.date, group)}
<ol class="stories">${group.stories.map((s) => h`<li>${storyLine(data, ui, s)}</li>`)}</ol>`,
)}
</section>`,
  );
  const chooser =
    data.reports.length > 1
      ? h`<p class="report-links">${words.reportsChoice}${
          archive.report === undefined
            ? h`<strong>${words.all}</strong>`
            : localLink(`/${queryOf({ lang: ui.keep })}`, words.all)
        }${data.reports.map((r) =>
          r.id === archive.report
            ? h` · <strong>${reportName(data, r.id)}</strong>`
            : h` · ${localLink(`/${queryOf({ report: r.id, lang: ui.keep })}`, reportName(data, r.id))}`,
        )}</p>`
      : '';
  return page({
    title: words.archive,
    current: '/',
    ...(only === undefined ? {} : { report: only }),
    ...frame(data, ui, '/', { report: archive.report }),
    siteTitle: data.siteTitle,
    body: h`<h1>${words.archive}${archive.report === undefined ? '' : h`${words.colon}${reportName(data, archive.report)}`}</h1>
${chooser}
${archive.days.length === 0 ? h`<p>${words.noReportYet(code)}</p>` : ''}
${charts}
<h2 id="reports-heading">${words.reports}</h2>
${days}
${
  archive.older.length > 0
    ? h`<section aria-labelledby="older-heading"><h2 id="older-heading">${words.olderReports}</h2><ul class="plain older">${archive.older.map(
        (day) =>
          named
            ? h`<li>${day.date}: ${day.reports.map((id, i) => h`${i > 0 ? ' · ' : ''}${localLink(reportPath(day.date, undefined, linkReport(data, id)), reportName(data, id))}`)}</li>`
            : h`<li>${localLink(reportPath(day.date, undefined, only), day.date)}</li>`,
      )}</ul></section>`
    : ''
}`,
  });
}

// ── a report ────────────────────────────────────────────────────────────────

export interface ReportView {
  /** The report's id. */
  reportId: string;
  entry: ReportEntry;
  /** The languages this report has on this date. */
  languages: string[];
  /** Every report of this date (ids; the configured ones in the config's order). */
  reports: string[];
  report?: Report;
  stories: PublishedStoryRow[];
}

/**
 * One report of a date: `report` (default: the `default` report, else the first configured) in
 * `lang` (default: the report's own language, else the first it has). Undefined when there is none.
 */
export async function reportData(
  data: WebData,
  date: string,
  lang: string | undefined,
  report?: string,
): Promise<ReportView | undefined> {
  const id = report ?? defaultReportId(data);
  const all = await data.queries.reportsOfDate(date);
  const entries = all.filter((e) => e.report === id);
  const entry = lang ? entries.find((e) => e.language === lang) : pickReport(entries, languageOf(data, id));
  if (!entry) return undefined;
  const file = data.readReport(entry);
  // This language's stories: their headlines and order are the ones its report file shows.
  const stories = await data.queries.storiesOfDates([date], id, { only: entry.language });
  return {
    reportId: id,
    entry,
    languages: entries.map((e) => e.language),
    reports: reportOrder(
      data,
      all.map((e) => e.report),
    ),
    ...(file ? { report: file } : {}),
    stories,
  };
}

export function reportPage(data: WebData, view: ReportView): string {
  const { entry } = view;
  const ui = chromeOfCopy(data, entry.language);
  const words = ui.words;
  const carried = linkReport(data, view.reportId);
  const named = several(data, view.reports);
  const languages = h`<p class="report-links">${words.languageChoice}${view.languages.map((language, i) =>
    language === entry.language
      ? h`${i > 0 ? ' · ' : ''}<strong lang="${language}">${wordFor(LANGUAGE_NAMES, language)}</strong>`
      : h`${i > 0 ? ' · ' : ''}${localLink(reportPath(entry.date, language, carried), wordFor(LANGUAGE_NAMES, language))}`,
  )}</p>`;
  const reports = named
    ? h`<p class="report-links report-choice">${words.reportChoice}${view.reports.map((id, i) =>
        id === view.reportId
          ? h`${i > 0 ? ' · ' : ''}<strong>${reportName(data, id)}</strong>`
          : h`${i > 0 ? ' · ' : ''}${localLink(reportPath(entry.date, undefined, linkReport(data, id)), reportName(data, id))}`,
      )}</p>`
    : '';
  const storyList = h`<aside class="day-stories" aria-labelledby="stories-heading"><h2 id="stories-heading">${words.storiesOf(entry.date)}${named ? h` · ${reportName(data, view.reportId)}` : ''}</h2>
<ol class="stories">${view.stories.map((s) => h`<li>${storyLine(data, ui, s)}</li>`)}</ol></aside>`;
  let parts: ReturnType<typeof renderHtmlParts> | undefined;
  try {
    parts = view.report ? renderHtmlParts(view.report) : undefined;
  } catch {
    parts = undefined;
  }
  if (!parts) {
    return page({
      title: named ? `${entry.date} · ${view.reportId}` : entry.date,
      ...(carried === undefined ? {} : { report: carried }),
      lang: ui.lang,
      ...(ui.keep === undefined ? {} : { keepLang: ui.keep }),
      siteTitle: data.siteTitle,
      body: h`<h1>${words.report(entry.date)}${named ? h` · ${reportName(data, view.reportId)}` : ''}</h1>${reports}${languages}<p>${words.fileMissing(entry.jsonPath)}</p>${storyList}`,
    });
  }
  // The report's own header and <main>, as the published page has them (escaped by the renderer).
  return page({
    title: parts.title,
    ...(carried === undefined ? {} : { report: carried }),
    siteTitle: data.siteTitle,
    lang: ui.lang,
    htmlLang: parts.lang,
    ...(ui.keep === undefined ? {} : { keepLang: ui.keep }),
    styles: ['/static/report.css'],
    bare: true,
    body: h`<div class="report-page">${reports}${languages}${raw(parts.body.join('\n'))}
${storyList}</div>`,
  });
}

// ── a story ─────────────────────────────────────────────────────────────────

export function storyPage(data: WebData, story: StoryDetail): string {
  const ui = chromeOfCopy(data, story.language);
  const words = ui.words;
  const score = story.score;
  const rows = SCORE_PARTS.map((part) => {
    const value = score[part] ?? 0;
    const weight = data.weights[part] ?? 0;
    return h`<tr><th scope="row">${words.scorePart[part]}</th><td class="num">${value.toFixed(3)}</td><td class="num">${weight.toFixed(2)}</td><td class="num">${(value * weight).toFixed(3)}</td></tr>`;
  });
  const sum = SCORE_PARTS.reduce((total, part) => total + (score[part] ?? 0) * (data.weights[part] ?? 0), 0);
  const newsValue = score.newsValue ?? 1;
  const items = story.items.map(
    (item) =>
      // The item's own URL only (a discussion page is in the JSON, not linked).
      h`<tr><td>${item.sourceName}</td><td>${externalLink(item.url, item.title)}</td><td>${time(item.publishedAt)}${item.dateFlag ? h`<span class="muted">${words.aside(words.dateFlag(item.dateFlag))}</span>` : ''}</td><td>${time(item.fetchedAt)}</td></tr>`,
  );
  const carried = linkReport(data, story.report);
  // Links to its report and its other days stay in this copy's language.
  const language = linkLanguage(data, story.report, story.language);
  const related = story.related.map(
    (r) =>
      h`<li>${localLink(reportPath(r.reportDate, linkLanguage(data, r.report, r.language), carried), r.reportDate)}${words.colon}${localLink(storyPath(r.storyId, r.reportDate, carried, linkLanguage(data, r.report, r.language)), r.title)}<span class="muted">${words.aside(
        r.why === 'same-story' ? words.sameStory : r.why === 'update-of' ? words.updatesIt : words.sharesItem,
      )}</span></li>`,
  );
  const status = story.updateOf
    ? h`<span class="badge update">${words.badgeUpdate}</span> ${words.updateOf(localLink(reportPath(story.updateOf.reportDate, language, carried), story.updateOf.reportDate), story.updateOf.previousSourceIds.length, story.sourceIds.length)}`
    : h`<span class="badge new">${words.badgeNew}</span> ${words.firstReportedOn(story.reportDates[story.reportDates.length - 1] ?? story.reportDate)}`;
  return page({
    title: story.title,
    ...(carried === undefined ? {} : { report: carried }),
    lang: ui.lang,
    ...(ui.keep === undefined ? {} : { keepLang: ui.keep }),
    siteTitle: data.siteTitle,
    body: h`<article class="story">
<h1>${story.title}</h1>
<p class="meta">${localLink(reportPath(story.reportDate, language, carried), carried ? `${words.report(story.reportDate)} · ${reportName(data, story.report)}` : words.report(story.reportDate))} · ${words.section(words.sectionName(story.section))} · #${story.position + 1} · ${status}</p>
<h2 id="sources-heading">${words.sourcesHeading(story.items.length)}</h2>
<div class="table-wrap"><table aria-labelledby="sources-heading"><thead><tr><th>${words.colSource}</th><th>${words.colItem}</th><th>${words.colPublished}</th><th>${words.colFetched}</th></tr></thead><tbody>${items}</tbody></table></div>
<h2 id="score-heading">${words.score}</h2>
<div class="table-wrap"><table class="score" aria-labelledby="score-heading"><thead><tr><th>${words.colPart}</th><th class="num">${words.colValue}</th><th class="num">${words.colWeight}</th><th class="num">${words.colWeighted}</th></tr></thead><tbody>${rows}
<tr><th scope="row">${words.weightedSum}</th><td></td><td></td><td class="num">${sum.toFixed(3)}</td></tr>
<tr><th scope="row">${words.newsValue}</th><td class="num">${newsValue.toFixed(2)}</td><td></td><td class="muted">${words.multipliesSum}</td></tr>
<tr><th scope="row">${words.total}</th><td></td><td></td><td class="num"><strong>${(score.total ?? 0).toFixed(3)}</strong></td></tr></tbody></table></div>
<h2>${words.publishedIn}</h2>
<ul class="plain">${story.reportDates.map((d) => h`<li>${localLink(reportPath(d, language, carried), d)}</li>`)}</ul>
<h2 id="related-heading">${words.related}</h2>
${related.length > 0 ? h`<ul class="plain related">${related}</ul>` : h`<p class="muted">${words.noRelated(60)}</p>`}
<p class="muted">${words.identityKeys}${story.keys.join(', ')}</p>
</article>`,
  });
}

// ── search ──────────────────────────────────────────────────────────────────

export function searchPage(
  data: WebData,
  query: string,
  result: SearchResult | undefined,
  report: string | undefined,
  ui: Chrome,
): string {
  const words = ui.words;
  let body: SafeHtml;
  // Narrowed to one report (`?report=`): said in the heading, kept by the form, undone by a link.
  const within = withinReport(
    data,
    ui,
    report,
    `/search${query ? `?q=${encodeURIComponent(query)}` : ''}`,
    'search-report',
  );
  const keep = h`${report === undefined ? '' : h`<input type="hidden" name="report" value="${report}">`}${
    ui.keep === undefined ? '' : h`<input type="hidden" name="lang" value="${ui.keep}">`
  }`;
  if (!result) {
    body = h`<h1>${words.search}</h1>${within}<form class="search big" action="/search" method="get" role="search"><input type="search" name="q" value="${query}" aria-label="${words.search}">${keep}<button type="submit">${words.search}</button></form>
<p class="muted">${words.searchHint}</p>`;
  } else {
    const stories = result.stories.map(
      (s) =>
        h`<li>${localLink(storyPath(s.storyId, s.reportDate, linkReport(data, s.report), linkLanguage(data, s.report, s.language)), s.title)} <span class="muted">· ${localLink(reportPath(s.reportDate, linkLanguage(data, s.report, s.language), linkReport(data, s.report)), several(data, [s.report]) ? `${s.reportDate} · ${reportName(data, s.report)}` : s.reportDate)} · ${words.sectionName(s.section)}</span></li>`,
    );
    const items = result.items.map(
      (
        item,
      ) => h`<li>${externalLink(item.url, item.title)} <span class="muted">· ${item.sourceName} · ${time(item.publishedAt)}</span>
${item.snippet && item.snippet !== item.title ? h`<p class="snippet">${highlight(item.snippet, result.terms)}</p>` : ''}${
  item.stories.length > 0
    ? h`<p class="in-story">${words.inStories}${item.stories.map(
        (s, i) =>
          h`${i > 0 ? words.semicolon : ''}${localLink(storyPath(s.storyId, s.reportDate, linkReport(data, s.report), linkLanguage(data, s.report, s.language)), s.title)}${words.aside(localLink(reportPath(s.reportDate, linkLanguage(data, s.report, s.language), linkReport(data, s.report)), several(data, [s.report]) ? `${s.reportDate} · ${reportName(data, s.report)}` : s.reportDate))}`,
      )}</p>`
    : h`<p class="muted">${words.notInStory}</p>`
}</li>`,
    );
    body = h`<h1>${words.searchFor(query)}</h1>
${within}
<h2 id="story-results">${words.storiesHeading(result.stories.length)}</h2>
${stories.length > 0 ? h`<ol class="results stories">${stories}</ol>` : h`<p class="muted">${words.noStoryMatches}</p>`}
<h2 id="item-results">${words.itemsHeading(result.items.length)}</h2>
${items.length > 0 ? h`<ol class="results items">${items}</ol>` : h`<p class="muted">${words.noItemMatches}</p>`}`;
  }
  return page({
    title: query ? words.searchFor(query) : words.search,
    current: '/search',
    query,
    ...(report === undefined || linkReport(data, report) === undefined ? {} : { report }),
    ...frame(data, ui, '/search', { q: query || undefined, report }),
    siteTitle: data.siteTitle,
    body,
  });
}

// ── sources ─────────────────────────────────────────────────────────────────

export interface SourcesData {
  /** The time "the last 7 days" and the chart's days end at: the latest fetch, or now. */
  asOf: string;
  /** The report whose sources these are (`?report=`); absent: every source. */
  report?: string;
  sources: SourceStatusRow[];
  availability: { dates: string[]; rows: { sourceId: string; name: string; cells: (number | null)[] }[] };
}

/**
 * Every source's health, or with `report` the sources that report reads (all of them when the
 * config does not list the report: one only the store knows).
 */
export async function sourcesData(data: WebData, report?: string): Promise<SourcesData> {
  const latest = await data.queries.latestFetchAt();
  const now = data.now();
  const asOf = latest && Date.parse(latest) < now.getTime() ? new Date(latest) : now;
  const reads = report === undefined ? undefined : data.reports.find((r) => r.id === report)?.sources;
  const read = reads === undefined ? undefined : new Set(reads);
  const sources = (await data.queries.sourceStatuses(asOf)).filter((s) => read === undefined || read.has(s.id));
  const last = asOf.toISOString().slice(0, 10);
  const first = shiftDate(last, -(CHART_DAYS - 1));
  const availability = await data.queries.sourceAvailability(`${first}T00:00:00.000Z`);
  const dates = datesBetween(first, last);
  const rows = sources
    .filter((s) => availability.some((a) => a.sourceId === s.id))
    .map((s) => ({
      sourceId: s.id,
      name: s.name,
      cells: dates.map((date) => {
        const cell = availability.find((a) => a.sourceId === s.id && a.date === date);
        return cell && cell.fetches > 0 ? (cell.fetches - cell.failures) / cell.fetches : null;
      }),
    }));
  return {
    asOf: asOf.toISOString(),
    ...(report === undefined ? {} : { report }),
    sources,
    availability: { dates, rows },
  };
}

export function sourcesPage(data: WebData, view: SourcesData, ui: Chrome): string {
  const words = ui.words;
  const rows = view.sources.map((s) => {
    const last = s.lastFetch;
    const status = last
      ? h`<span class="badge ${last.status === 'failed' ? 'failed' : 'ok'}">${words.fetchStatus(last.status)}</span>${last.errorKind ? h` <span class="error-kind" data-error-kind="${last.errorKind}">${wordFor(words.errorKinds, last.errorKind)}</span>` : ''}`
      : h`<span class="muted">${words.neverFetched}</span>`;
    return h`<tr id="source-${s.id}"><th scope="row">${s.name}<br><span class="muted">${s.id} · ${s.kind}</span></th><td>${time(last?.at)}</td><td>${status}${
      last?.error ? h`<br><span class="muted error-message">${last.error}</span>` : ''
    }</td><td class="num">${s.itemsLast7Days}</td><td class="num">${s.failures}/${s.fetches} (${percent(s.failureRate)})</td><td class="num">${s.errorCount}</td></tr>`;
  });
  return page({
    title: words.sources,
    current: '/sources',
    ...(view.report === undefined ? {} : { report: view.report }),
    ...frame(data, ui, '/sources', { report: view.report }),
    siteTitle: data.siteTitle,
    body: h`<h1>${words.sources}</h1>
${withinReport(data, ui, view.report, '/sources', 'sources-report')}
<p class="meta">${words.asOf(time(view.asOf), view.sources.length)}</p>
<figure>${raw(
      availabilityChart({
        id: 'chart-availability',
        title: words.availabilityTitle(CHART_DAYS),
        notFetched: words.notFetched,
        shareOk: words.shareOk,
        columns: view.availability.dates,
        rows: view.availability.rows.map((r) => ({ label: r.name, cells: r.cells })),
      }),
    )}<figcaption>${words.availabilityCaption}</figcaption></figure>
<div class="table-wrap"><table class="sources"><thead><tr><th>${words.colSource}</th><th>${words.colLastFetch}</th><th>${words.colStatus}</th><th class="num" title="${words.colItems7dHint}">${words.colItems7d}</th><th class="num" title="${words.colFailedHint}">${words.colFailed}</th><th class="num" title="${words.colInARowHint}">${words.colInARow}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`,
  });
}

// ── runs ────────────────────────────────────────────────────────────────────

/** A duration; none is shown as "—", and so is 0 ms: a replayed day's clock stands still, nothing was measured. */
function duration(ms: number | undefined): string {
  if (ms === undefined || ms === 0) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** The latest runs, or with `report` that report's runs only. */
export function runsPage(data: WebData, runs: readonly RunRow[], report: string | undefined, ui: Chrome): string {
  const words = ui.words;
  const named = several(
    data,
    runs.map((run) => run.report),
  );
  // What the muted line under a run's date says: its report (with several), language and mode (in words; the code in `data-mode`).
  const about = (run: RunRow): SafeHtml[] =>
    [
      named ? h`${reportName(data, run.report)}` : undefined,
      run.language
        ? h`<span data-language="${run.language}">${wordFor(LANGUAGE_NAMES, run.language)}</span>`
        : undefined,
      run.mode
        ? h`<span class="run-mode" data-mode="${run.mode}">${wordFor(words.runModes, run.mode)}</span>`
        : undefined,
    ].filter((part) => part !== undefined);
  const rows = runs.map(
    (run) =>
      h`<tr data-report="${run.report}"><th scope="row">${localLink(reportPath(run.reportDate, run.language === languageOf(data, run.report) ? undefined : run.language, linkReport(data, run.report)), run.reportDate)}<br><span class="muted">${about(run).map((part, i) => h`${i > 0 ? ' · ' : ''}${part}`)}</span></th><td>${time(run.startedAt)}</td><td><span class="badge ${run.status === 'failed' ? 'failed' : 'ok'}">${words.fetchStatus(run.status)}</span>${
        run.error ? h`<br><span class="muted error-message">${run.error}</span>` : ''
      }</td><td class="num">${duration(run.durationMs)}</td><td><ul class="plain stages">${run.stages.map(
        (s) =>
          h`<li data-stage="${s.stage}">${wordFor(words.runStages, s.stage)}${words.colon}${duration(s.durationMs)}${s.items === undefined ? '' : h`${words.comma}${words.stageCount(s.items, s.stage === 'stories')}`}</li>`,
      )}</ul></td><td class="num">${run.llm.calls}${run.llm.cacheHits > 0 ? words.aside(words.cached(run.llm.cacheHits)) : ''}</td><td class="num">${run.llm.inputTokens} / ${run.llm.outputTokens}</td><td class="num">${run.llm.cost.toFixed(4)}</td></tr>`,
  );
  return page({
    title: words.runs,
    current: '/runs',
    ...(report === undefined ? {} : { report }),
    ...frame(data, ui, '/runs', { report }),
    siteTitle: data.siteTitle,
    body: h`<h1>${words.runs}</h1>
${withinReport(data, ui, report, '/runs', 'runs-report')}
${runs.length === 0 ? h`<p>${words.noRunYet}</p>` : ''}
<div class="table-wrap"><table class="runs"><thead><tr><th>${words.colReport}</th><th>${words.colStarted}</th><th>${words.colStatus}</th><th class="num">${words.colDuration}</th><th>${words.colStages}</th><th class="num">${words.colLlmCalls}</th><th class="num" title="${words.colTokensHint}">${words.colTokens}</th><th class="num">${words.colCost}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`,
  });
}
