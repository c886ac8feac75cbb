/**
 * The words of the web app's own chrome (navigation, headings, table heads, empty states, chart
 * captions, error pages) in each language it speaks, the way `analyze/labels.ts` keeps the
 * report's. One `Labels` per language: a label missing in one is a type error. What a report
 * says, and ids, URLs, source names and titles, are not here: they are shown as they are.
 * Phrases with a number or a name are functions (plurals in English, 量词 in Chinese); a phrase
 * around markup (a link, a time, code) is a list of its texts and the markup it is given
 * (`Phrase`), which the page's template escapes part by part: this module builds no HTML.
 * A section is named as the reports name it (`analyze/labels.ts#SECTION_LABELS`, one table), and
 * so is why a fetch failed (`render/i18n.ts`, the report's `errorKinds`). Codes the store keeps (a
 * run's mode and stages, a fetch's error kind) are shown in words through a table typed
 * by the codes' own union, so a new code without its words is a type error; `wordFor` shows a code
 * the table does not know (written by another version of ai-daily) as it is stored.
 */
import type { AnalysisMode } from '../analyze/analyzer.js';
import { SECTION_LABELS } from '../analyze/labels.js';
import type { FetchErrorKind } from '../core/errors.js';
import type { RunStage } from '../core/run.js';
import type { ReferenceDateFlag, Section } from '../core/types.js';
import { STRINGS } from '../render/i18n.js';

/** The languages the app's chrome speaks. */
export const WEB_LANGUAGES = ['zh', 'en'] as const;
export type WebLanguage = (typeof WEB_LANGUAGES)[number];

export function isWebLanguage(value: string | undefined): value is WebLanguage {
  return value === 'zh' || value === 'en';
}

/** Each language's own name, for the language switch. */
export const LANGUAGE_NAMES: Record<WebLanguage, string> = { zh: '中文', en: 'English' };

/** The score's parts, in the order the story page lists them. */
export const SCORE_PARTS = ['recency', 'authority', 'coverage', 'engagement', 'relevance'] as const;
export type ScorePart = (typeof SCORE_PARTS)[number];

/** The words `table` has for a stored code; a code it does not know, as it is (never a word inherited from Object). */
export function wordFor<Code extends string>(table: Readonly<Record<Code, string>>, code: string): string {
  return Object.hasOwn(table, code) ? table[code as Code] : code;
}

/** A phrase around markup: its texts (escaped where shown) and the pieces of markup given to it. */
export type Phrase<T> = (string | T)[];

/** Where a chart's numbers come from: one report (its name), every report of several, or the one report there is. */
export type Scope = { report: string } | 'every' | 'one';

export interface Labels {
  // The frame
  archive: string;
  search: string;
  sources: string;
  runs: string;
  siteNav: string;
  languageSwitch: string;
  footer: string;
  // Sign-in and error pages
  signIn: string;
  signInNeeded: <T>(code: (text: string) => T) => Phrase<T>;
  wrongToken: string;
  notFound: string;
  noSuchReport: string;
  noReportForDate: string;
  noReportOf: (date: string, reportName: string | undefined, language: string | undefined) => string;
  noSuchStory: string;
  nothingHere: string;
  noSuchLanguage: string;
  error: string;
  serverCouldNotRead: string;
  // Punctuation between the words of a phrase (ASCII in English, full-width in Chinese)
  colon: string;
  comma: string;
  semicolon: string;
  /** A remark in parentheses after a word: ` (…)` / `（…）`. */
  aside: <T>(inner: T) => Phrase<T>;
  // Shared phrases
  /** A section's name as the reports give it (an id the table does not know: as it is). */
  sectionName: (section: string) => string;
  sourceCount: (count: number) => string;
  withinReport: (reportName: string) => string;
  everyReport: string;
  badgeNew: string;
  badgeUpdate: string;
  firstReported: (date: string) => string;
  fetchStatus: (status: string) => string;
  /** Why a source's fetch failed (the sources page), as the reports say it; shown through `wordFor`. */
  errorKinds: Record<FetchErrorKind, string>;
  // The archive
  lastDays: (days: number) => string;
  sectionsChartTitle: (days: number) => string;
  sectionsCaption: (scope: Scope) => string;
  risingNone: string;
  risingChartTitle: (days: number) => string;
  risingNote: (days: number, items: number) => string;
  risingCaption: (scope: Scope) => string;
  reportIn: (language: string) => string;
  reportsChoice: string;
  all: string;
  noReportYet: <T>(code: (text: string) => T) => Phrase<T>;
  reports: string;
  olderReports: string;
  noData: string;
  // A report
  languageChoice: string;
  reportChoice: string;
  storiesOf: (date: string) => string;
  report: (date: string) => string;
  fileMissing: (path: string) => string;
  // A story
  scorePart: Record<ScorePart, string>;
  sameStory: string;
  updatesIt: string;
  sharesItem: string;
  updateOf: <T>(link: T, then: number, now: number) => Phrase<T>;
  firstReportedOn: (date: string) => string;
  section: (section: string) => string;
  sourcesHeading: (count: number) => string;
  colSource: string;
  colItem: string;
  colPublished: string;
  colFetched: string;
  /** Why an item's time is when it was first seen (the store's date flag). */
  dateFlag: (flag: string) => string;
  score: string;
  colPart: string;
  colValue: string;
  colWeight: string;
  colWeighted: string;
  weightedSum: string;
  newsValue: string;
  multipliesSum: string;
  total: string;
  publishedIn: string;
  related: string;
  noRelated: (days: number) => string;
  identityKeys: string;
  // Search
  searchHint: string;
  searchFor: (query: string) => string;
  storiesHeading: (count: number) => string;
  noStoryMatches: string;
  itemsHeading: (count: number) => string;
  noItemMatches: string;
  inStories: string;
  notInStory: string;
  // Sources
  asOf: <T>(time: T, count: number) => Phrase<T>;
  availabilityTitle: (days: number) => string;
  availabilityCaption: string;
  notFetched: string;
  shareOk: (percent: number) => string;
  colLastFetch: string;
  colStatus: string;
  colItems7d: string;
  colItems7dHint: string;
  colFailed: string;
  colFailedHint: string;
  colInARow: string;
  colInARowHint: string;
  neverFetched: string;
  // Runs
  noRunYet: string;
  colReport: string;
  colStarted: string;
  colDuration: string;
  colStages: string;
  colLlmCalls: string;
  colTokens: string;
  colTokensHint: string;
  colCost: string;
  stageCount: (count: number, stories: boolean) => string;
  cached: (count: number) => string;
  /** A run's analysis mode (`analyze/analyzer.ts#ANALYSIS_MODES`), shown through `wordFor`. */
  runModes: Record<AnalysisMode, string>;
  /** A run's checkpointed stages (`core/run.ts#RUN_STAGES`), shown through `wordFor`. */
  runStages: Record<RunStage, string>;
}

const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;

const EN: Labels = {
  archive: 'Archive',
  search: 'Search',
  sources: 'Sources',
  runs: 'Runs',
  siteNav: 'Site',
  languageSwitch: 'Language',
  footer: 'ai-daily · read-only view of the store',
  signIn: 'Sign in',
  signInNeeded: (code) => [
    'This server needs its token: open ',
    code('/login?token=…'),
    ' with the value of ',
    code('serve.token'),
    ', or send ',
    code('Authorization: Bearer …'),
    '.',
  ],
  wrongToken: 'Wrong or missing token.',
  notFound: 'Not found',
  noSuchReport: 'No such report.',
  noReportForDate: 'No report for this date.',
  noReportOf: (date, name, language) =>
    `No report${name === undefined ? '' : ` of ${name}`} for ${date}${language ? ` in ${language}` : ''}.`,
  noSuchStory: 'No such story.',
  nothingHere: 'Nothing here.',
  noSuchLanguage: 'No such language: the pages speak zh and en.',
  error: 'Error',
  serverCouldNotRead: 'The server could not read this page.',
  colon: ': ',
  comma: ', ',
  semicolon: '; ',
  aside: (inner) => [' (', inner, ')'],
  sectionName: (section) => wordFor<Section>(SECTION_LABELS.en, section),
  sourceCount: (count) => plural(count, 'source'),
  withinReport: (name) => `In ${name} only`,
  everyReport: 'every report',
  badgeNew: 'new',
  badgeUpdate: 'update',
  firstReported: (date) => `first reported ${date}`,
  fetchStatus: (status) => status,
  errorKinds: STRINGS.en.errorKinds,
  lastDays: (days) => `The last ${days} days`,
  sectionsChartTitle: (days) => `Items per section per day (${days} days)`,
  sectionsCaption: (scope) => `Items of the published stories${enScope(scope)}, per section and report date.`,
  risingNone: 'Rising terms: no report of these days lists one (a term rises against the earlier days of its sources).',
  risingChartTitle: (days) => `Rising terms (${days} days)`,
  risingNote: (days, items) => `${plural(days, 'day')}, ${plural(items, 'item')}`,
  risingCaption: (scope) =>
    `Terms the reports${enScope(scope)} listed as rising: on how many days, and how many items used them.`,
  reportIn: (language) =>
    `report (${({ zh: 'Chinese', en: 'English' } as Record<string, string>)[language] ?? language})`,
  reportsChoice: 'Reports: ',
  all: 'all',
  noReportYet: (code) => ['No report yet: run ', code('ai-daily run'), ' first.'],
  reports: 'Reports',
  olderReports: 'Older reports',
  noData: 'no data',
  languageChoice: 'Language: ',
  reportChoice: 'Report: ',
  storiesOf: (date) => `Stories of ${date}`,
  report: (date) => `Report ${date}`,
  fileMissing: (file) => `The report file (${file}) is not in the output folder; its stories from the store:`,
  scorePart: {
    recency: 'recency',
    authority: 'authority',
    coverage: 'coverage',
    engagement: 'engagement',
    relevance: 'relevance',
  },
  sameStory: 'the same story',
  updatesIt: 'this story updates it',
  sharesItem: 'shares a source item or identity',
  updateOf: (link, then, now) => ['of the story reported on ', link, ` (${plural(then, 'source')} then, ${now} now)`],
  firstReportedOn: (date) => `first reported on ${date}`,
  section: (section) => `section ${section}`,
  sourcesHeading: (count) => `Sources (${count})`,
  colSource: 'source',
  colItem: 'item',
  colPublished: 'published',
  colFetched: 'fetched',
  dateFlag: (flag) => wordFor(EN_DATE_FLAGS, flag),
  score: 'Score',
  colPart: 'part',
  colValue: 'value (0..1)',
  colWeight: 'weight',
  colWeighted: 'value × weight',
  weightedSum: 'weighted sum',
  newsValue: 'news value',
  multipliesSum: 'multiplies the sum',
  total: 'total',
  publishedIn: 'Published in',
  related: 'Related stories of earlier days',
  noRelated: (days) => `None in the ${days} days before.`,
  identityKeys: 'Identity keys: ',
  searchHint:
    'Titles and texts of every collected item, and the titles of published stories. Chinese substrings of any length (千问, 智能体) and English words match.',
  searchFor: (query) => `Search: ${query}`,
  storiesHeading: (count) => `Stories (${count})`,
  noStoryMatches: 'No story title matches.',
  itemsHeading: (count) => `Items (${count})`,
  noItemMatches: 'No item matches.',
  inStories: 'In: ',
  notInStory: 'Not in a published story.',
  asOf: (time, count) => ['As of ', time, `: ${plural(count, 'source')}.`],
  availabilityTitle: (days) => `Source availability per day (${days} days)`,
  availabilityCaption: 'Share of successful fetches per source and day (green: all, red: none, grey: not fetched).',
  notFetched: 'not fetched',
  shareOk: (percent) => `${percent}% ok`,
  colLastFetch: 'last fetch',
  colStatus: 'status',
  colItems7d: 'items 7d',
  colItems7dHint: 'items published in the 7 days before the latest fetch',
  colFailed: 'failed',
  colFailedHint: 'failed fetches / all fetches',
  colInARow: 'in a row',
  colInARowHint: 'failed runs in a row',
  neverFetched: 'never fetched',
  noRunYet: 'No run yet.',
  colReport: 'report',
  colStarted: 'started',
  colDuration: 'duration',
  colStages: 'stages',
  colLlmCalls: 'LLM calls',
  colTokens: 'tokens',
  colTokensHint: 'input / output tokens',
  colCost: 'cost',
  stageCount: (count, stories) => (stories ? plural(count, 'story', 'stories') : plural(count, 'item')),
  cached: (count) => `${count} cached`,
  runModes: { extractive: 'extractive', llm: 'LLM analysis' },
  runStages: { collect: 'collection', stories: 'story selection', publish: 'publishing' },
};

function enScope(scope: Scope): string {
  return scope === 'one' ? '' : scope === 'every' ? ' of every report' : ` of ${scope.report}`;
}

function zhScope(scope: Scope): string {
  return scope === 'one' ? '' : scope === 'every' ? '各报告' : `${scope.report} `;
}

/** Fetch and run statuses as the store writes them; any other shown as it is. */
const ZH_STATUS: Readonly<Record<string, string>> = {
  ok: '成功',
  'not-modified': '未更新',
  failed: '失败',
  disabled: '已停用',
  running: '进行中',
  done: '完成',
};

/** The store's date flags (core `ReferenceDateFlag`): why the time shown is when the item was first seen. */
/** Why an item's time is not its own date, as an English page says it. */
const EN_DATE_FLAGS: Readonly<Record<ReferenceDateFlag, string>> = {
  missing: 'no publication date',
  future: 'publication date in the future',
  absurd: 'implausible publication date',
  unparsable: 'unreadable publication date',
  listed: 'date of the list',
};

const ZH_DATE_FLAGS: Readonly<Record<ReferenceDateFlag, string>> = {
  missing: '无发布日期',
  future: '发布日期在未来',
  absurd: '发布日期不合理',
  unparsable: '发布日期无法解析',
  listed: '列表日期',
};

const ZH: Labels = {
  archive: '归档',
  search: '搜索',
  sources: '来源',
  runs: '运行记录',
  siteNav: '站点导航',
  languageSwitch: '语言',
  footer: 'ai-daily · 数据存储的只读视图',
  signIn: '登录',
  signInNeeded: (code) => [
    '此服务器需要令牌：打开 ',
    code('/login?token=…'),
    '（值为 ',
    code('serve.token'),
    '），或发送 ',
    code('Authorization: Bearer …'),
    '。',
  ],
  wrongToken: '令牌错误或缺失。',
  notFound: '未找到',
  noSuchReport: '没有这份报告。',
  noReportForDate: '这一天没有报告。',
  noReportOf: (date, name, language) =>
    `${date} 没有${name === undefined ? '' : ` ${name} 的`}${language ? ` ${language} ` : ''}报告。`,
  noSuchStory: '没有这条报道。',
  nothingHere: '这里什么也没有。',
  noSuchLanguage: '没有这种语言：页面只有 zh 和 en 两种语言。',
  error: '出错了',
  serverCouldNotRead: '服务器无法读取此页面。',
  colon: '：',
  comma: '，',
  semicolon: '；',
  aside: (inner) => ['（', inner, '）'],
  sectionName: (section) => wordFor<Section>(SECTION_LABELS.zh, section),
  sourceCount: (count) => `${count} 个来源`,
  withinReport: (name) => `仅 ${name}`,
  everyReport: '全部报告',
  badgeNew: '新',
  badgeUpdate: '更新',
  firstReported: (date) => `首次报道于 ${date}`,
  fetchStatus: (status) => wordFor(ZH_STATUS, status),
  errorKinds: STRINGS.zh.errorKinds,
  lastDays: (days) => `最近 ${days} 天`,
  sectionsChartTitle: (days) => `每天各栏目的条目数（${days} 天）`,
  sectionsCaption: (scope) => `${zhScope(scope)}已发布报道的条目数，按栏目和报告日期。`,
  risingNone: '上升热词：这些天的报告都没有列出（热词的上升是相对其来源此前的日子而言）。',
  risingChartTitle: (days) => `上升热词（${days} 天）`,
  risingNote: (days, items) => `${days} 天，${items} 条`,
  risingCaption: (scope) => `${zhScope(scope)}报告列为上升的热词：出现在几天，被多少条目使用。`,
  reportIn: (language) => `报告（${({ zh: '中文', en: '英文' } as Record<string, string>)[language] ?? language}）`,
  reportsChoice: '报告：',
  all: '全部',
  noReportYet: (code) => ['还没有报告：请先运行 ', code('ai-daily run'), '。'],
  reports: '报告',
  olderReports: '较早的报告',
  noData: '无数据',
  languageChoice: '语言：',
  reportChoice: '报告：',
  storiesOf: (date) => `${date} 的报道`,
  report: (date) => `报告 ${date}`,
  fileMissing: (file) => `报告文件（${file}）不在输出目录中；以下是数据存储中的报道：`,
  scorePart: {
    recency: '时效性',
    authority: '权威性',
    coverage: '覆盖度',
    engagement: '互动热度',
    relevance: '相关性',
  },
  sameStory: '同一报道',
  updatesIt: '本报道是它的更新',
  sharesItem: '共享来源条目或标识',
  updateOf: (link, then, now) => ['此前于 ', link, ` 报道（当时 ${then} 个来源，现在 ${now} 个）`],
  firstReportedOn: (date) => `首次报道于 ${date}`,
  section: (section) => `栏目 ${section}`,
  sourcesHeading: (count) => `来源（${count}）`,
  colSource: '来源',
  colItem: '条目',
  colPublished: '发布时间',
  colFetched: '抓取时间',
  dateFlag: (flag) => wordFor(ZH_DATE_FLAGS, flag),
  score: '评分',
  colPart: '分项',
  colValue: '分值（0..1）',
  colWeight: '权重',
  colWeighted: '分值 × 权重',
  weightedSum: '加权和',
  newsValue: '新闻价值',
  multipliesSum: '乘以加权和',
  total: '总分',
  publishedIn: '收录于',
  related: '此前的相关报道',
  noRelated: (days) => `此前 ${days} 天内没有。`,
  identityKeys: '标识键：',
  searchHint:
    '搜索所有已收集条目的标题和正文，以及已发布报道的标题。任意长度的中文子串（千问、智能体）和英文单词都能匹配。',
  searchFor: (query) => `搜索：${query}`,
  storiesHeading: (count) => `报道（${count}）`,
  noStoryMatches: '没有匹配的报道标题。',
  itemsHeading: (count) => `条目（${count}）`,
  noItemMatches: '没有匹配的条目。',
  inStories: '收录于：',
  notInStory: '未收录于已发布的报道。',
  asOf: (time, count) => ['截至 ', time, `：${count} 个来源。`],
  availabilityTitle: (days) => `每天的来源可用性（${days} 天）`,
  availabilityCaption: '每个来源每天成功抓取的比例（绿：全部成功，红：全部失败，灰：未抓取）。',
  notFetched: '未抓取',
  shareOk: (percent) => `${percent}% 成功`,
  colLastFetch: '最近抓取',
  colStatus: '状态',
  colItems7d: '7 天条目',
  colItems7dHint: '最近一次抓取前 7 天内发布的条目',
  colFailed: '失败',
  colFailedHint: '失败的抓取 / 全部抓取',
  colInARow: '连续失败',
  colInARowHint: '连续失败的次数',
  neverFetched: '从未抓取',
  noRunYet: '还没有运行记录。',
  colReport: '报告',
  colStarted: '开始时间',
  colDuration: '耗时',
  colStages: '阶段',
  colLlmCalls: 'LLM 调用',
  colTokens: 'Token',
  colTokensHint: '输入 / 输出 Token',
  colCost: '费用',
  stageCount: (count, stories) => `${count} ${stories ? '条报道' : '条'}`,
  cached: (count) => `${count} 次命中缓存`,
  runModes: { extractive: '抽取式', llm: 'LLM 分析' },
  runStages: { collect: '采集', stories: '选题', publish: '发布' },
};

export const WEB_LABELS: Record<WebLanguage, Labels> = { zh: ZH, en: EN };

export function labels(language: WebLanguage): Labels {
  return WEB_LABELS[language];
}
