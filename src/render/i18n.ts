/**
 * Fixed words of the rendered report, per language. Section names live in analyze/labels.ts
 * (the analysis writes them into the Report); everything else a renderer says is here.
 */

import type { ReportLanguage } from '../analyze/labels.js';
import { formatCount } from '../core/quantity.js';
import type { DemoAbsenceReason, DemoLimits, LlmPart } from '../core/report.js';
import type { SourceKind } from '../core/types.js';

/** Words of the parts only an LLM report has. */
export interface LlmStrings {
  originalTitle: string;
  sectionAnalysis: string;
  insights: string;
  /** Says that what follows is analysis, grounded on the day's stories. */
  insightsNote: string;
  developerGuide: string;
  risks: string;
  outlook: string;
  model: string;
  storiesAnalysed: (analysed: number, total: number) => string;
  verification: string;
  verificationLine: (checked: number, kept: number, dropped: number) => string;
  partNames: Record<LlmPart, string>;
  fallbacks: (count: number, units: number) => string;
  fellBack: string;
  /** The demo block beside its story, and its line in the about section. */
  demo: string;
  demoOutput: string;
  demoChecked: (commands: string, limits: string) => string;
  demoLimits: (limits: DemoLimits) => string;
  demoFile: string;
  demoAbout: (path: string, attempts: number) => string;
  demoAbsent: Record<DemoAbsenceReason, string>;
}

export interface RenderStrings {
  llm: LlmStrings;
  reportDate: string;
  mode: string;
  modeName: { extractive: string; llm: string };
  topStories: string;
  executiveSummary: string;
  details: string;
  dataInsights: string;
  risingTopics: string;
  topRepositories: string;
  topModels: string;
  topPapers: string;
  references: string;
  about: string;
  sourcesLabel: string;
  /** Heading of a section's compact list of items with nothing to say beyond their headline. */
  otherHeadlines: string;
  updateLabel: string;
  /** Before a reference's time when the item had no usable date of its own. */
  firstSeen: string;
  /** Marks a story that a trending list shows but that is not new. */
  stillTrending: string;
  /** "first reported on D; N new sources since". */
  updateText: (previousDate: string, newSources: number) => string;
  noBaseline: (days: number, needed: number) => string;
  noRisingTopics: (days: number) => string;
  risingLine: (today: number, baseline: number, days: number, ratio: number | null) => string;
  repositoryLine: (stars: number | undefined, gained: number | undefined) => string;
  modelLine: (likes: number | undefined, downloads: number | undefined) => string;
  paperLine: (points: number, comments: number, upvotes: number) => string;
  aboutMode: { extractive: string; llm: string };
  windowUtc: string;
  windowLocal: (timeZone: string) => string;
  hours: (hours: number) => string;
  sourcesSummary: (attempted: number, ok: number, failed: number, disabled: number) => string;
  failedSource: string;
  stageCounts: string;
  stageLabels: {
    stored: string;
    inWindow: string;
    offTopic: string;
    stories: string;
    storyItems: string;
    alreadyReported: string;
    overCap: string;
    selected: string;
    selectedItems: string;
  };
  emptyKinds: string;
  emptyKind: (kind: SourceKind, weekend: boolean) => string;
  duration: (seconds: string) => string;
  notTimed: string;
  /** Items left out because their URL looks like it holds a credential. */
  withheld: (count: number) => string;
  version: string;
  /** Separator between a label and its value ("：" / ": "). */
  colon: string;
  /** Separator between list entries ("；" / "; "). */
  listSeparator: string;
  /** Between a sentence and the next one. */
  sentenceJoin: string;
  /** Before citation markers. */
  citeJoin: string;
  /** "（x）" / " (x)". */
  parenthesize: (text: string) => string;
}

const KIND_NAMES: Record<ReportLanguage, Record<SourceKind, string>> = {
  zh: {
    feed: 'RSS/Atom 订阅源',
    arxiv: 'arXiv',
    hackernews: 'Hacker News',
    github: 'GitHub',
    huggingface: 'Hugging Face',
    reddit: 'Reddit',
    html: '网页列表',
  },
  en: {
    feed: 'RSS/Atom feeds',
    arxiv: 'arXiv',
    hackernews: 'Hacker News',
    github: 'GitHub',
    huggingface: 'Hugging Face',
    reddit: 'Reddit',
    html: 'HTML list pages',
  },
};

/** "1 comment", "2 comments". */
function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${count === 1 ? noun : `${noun}s`}`;
}

const zh: RenderStrings = {
  llm: {
    originalTitle: '原标题',
    sectionAnalysis: '板块分析',
    insights: '分析与展望',
    insightsNote: '以下为根据当日报道所作的分析，并非报道原文；每句都注明其依据的来源。',
    developerGuide: '开发者指南',
    risks: '风险与未知',
    outlook: '展望',
    model: '模型',
    storiesAnalysed: (analysed, total) => `LLM 撰写的报道：${analysed} / ${total}（其余为抽取式）`,
    verification: '引用核对',
    verificationLine: (checked, kept, dropped) => `检查 ${checked} 句，保留 ${kept} 句，删除 ${dropped} 句`,
    partNames: {
      headlines: '中文标题',
      storySummaries: '报道摘要',
      executiveSummary: '执行摘要',
      sectionAnalysis: '板块分析',
      developerGuide: '开发者指南',
      risks: '风险与未知',
      outlook: '展望',
    },
    fallbacks: (count, units) => `${count} / ${units} 处回退为抽取式或略去`,
    fellBack: '回退',
    demo: '演示代码',
    demoOutput: '实际运行输出',
    demoChecked: (commands, limits) => `检查方式：${commands}；在无网络的沙箱中运行（${limits}）`,
    demoLimits: (l) =>
      `时限 ${l.timeoutMs / 1000} 秒，CPU ${l.cpuSeconds} 秒，内存 ${Math.round(l.memoryBytes / 1048576)} MiB`,
    demoFile: '文件',
    demoAbout: (path, attempts) => `${path}（在无网络的沙箱中运行通过，第 ${attempts} 次尝试）`,
    demoAbsent: {
      disabled: '无（配置中已关闭）',
      'no-story': '无（头条中没有适合演示的技术报道）',
      budget: '无（本次运行的预算不足）',
      'no-answer': '无（模型没有给出可用的代码）',
      'sandbox-unavailable': '无（本机无法创建无网络沙箱（需要 unshare 和 prlimit），代码未运行，也未发布）',
      failed: '无（每次尝试都未通过检查或运行失败，未发布）',
    },
  },
  reportDate: '报告日期',
  mode: '模式',
  modeName: { extractive: '抽取式（无 LLM）', llm: 'LLM 生成（已核对引用）' },
  topStories: '今日重点',
  executiveSummary: '执行摘要',
  details: '详细分析',
  dataInsights: '数据洞察',
  risingTopics: '上升话题',
  topRepositories: 'GitHub 热门仓库',
  topModels: 'Hugging Face 热门模型',
  topPapers: '热议论文',
  references: '参考来源',
  about: '关于本报告',
  sourcesLabel: '来源',
  otherHeadlines: '其他标题',
  updateLabel: '更新',
  firstSeen: '首次发现',
  stillTrending: '仍在热榜（非今日新发布）',
  updateText: (previousDate, newSources) => `此前已于 ${previousDate} 报道，之后新增 ${newSources} 个来源`,
  noBaseline: (days, needed) =>
    `历史数据不足：上升话题需要同一批来源至少 ${needed} 天的历史采集数据作为基线（目前 ${days} 天），积累足够历史后本节才会对比词频。`,
  noRisingTopics: (days) => `与前 ${days} 天相比，今日没有明显上升的话题。`,
  risingLine: (today, baseline, days, ratio) =>
    ratio === null
      ? `今日 ${formatCount(today)} 条提及，前 ${days} 天（相同来源）没有提及`
      : `今日 ${formatCount(today)} 条提及，前 ${days} 天（相同来源）日均 ${formatCount(baseline)} 条：${formatCount(today)} ÷ ${formatCount(baseline)} ≈ ${ratio} 倍`,
  repositoryLine: (stars, gained) =>
    [
      stars !== undefined ? `★ ${formatCount(stars)}` : '',
      gained !== undefined ? `今日新增 ${formatCount(gained)} 星` : '',
    ]
      .filter(Boolean)
      .join('，'),
  modelLine: (likes, downloads) =>
    [
      likes !== undefined ? `${formatCount(likes)} 个赞` : '',
      downloads !== undefined ? `下载 ${formatCount(downloads)} 次` : '',
    ]
      .filter(Boolean)
      .join('，'),
  paperLine: (points, comments, upvotes) =>
    [
      points > 0 ? `${formatCount(points)} 分` : '',
      comments > 0 ? `${formatCount(comments)} 条评论` : '',
      upvotes > 0 ? `${formatCount(upvotes)} 个赞同` : '',
    ]
      .filter(Boolean)
      .join('，'),
  aboutMode: {
    extractive:
      '抽取式。每条摘要句都是来源原文中的句子，由算法选出；本报告没有使用大语言模型，也不包含观点性分析（开发者指南、风险、展望）。',
    llm: 'LLM 生成：文字由大语言模型根据编号来源改写，每句引用都经过核对。',
  },
  windowUtc: '时间窗口（UTC）',
  windowLocal: (timeZone) => `时间窗口（${timeZone}）`,
  hours: (hours) => `${hours} 小时`,
  sourcesSummary: (attempted, ok, failed, disabled) =>
    `尝试 ${attempted} 个，成功 ${ok} 个，失败 ${failed} 个${disabled > 0 ? `（另有 ${disabled} 个已停用）` : ''}`,
  failedSource: '失败',
  stageCounts: '各阶段数量',
  stageLabels: {
    stored: '库中条目',
    inWindow: '时间窗口内',
    offTopic: '与主题无关（已排除）',
    stories: '聚合后的故事',
    storyItems: '故事中的条目',
    alreadyReported: '此前已报道',
    overCap: '超出篇幅上限',
    selected: '入选故事',
    selectedItems: '入选故事的条目',
  },
  emptyKinds: '本时段无新内容',
  emptyKind: (kind, weekend) =>
    kind === 'arxiv'
      ? `arXiv 本时段无新论文${weekend ? '（arXiv 周末不发布）' : ''}`
      : `${KIND_NAMES.zh[kind]} 本时段无新内容`,
  duration: (seconds) => `用时：${seconds} 秒`,
  notTimed: '用时：不计（回放录制的一天）',
  withheld: (count) => `未收录：${count} 条（链接中含有疑似密钥的字符串，无法安全链接）`,
  version: '版本',
  colon: '：',
  listSeparator: '；',
  sentenceJoin: ' ',
  citeJoin: '',
  parenthesize: (text) => `（${text}）`,
};

const en: RenderStrings = {
  llm: {
    originalTitle: 'Original title',
    sectionAnalysis: 'Analysis',
    insights: 'Analysis and outlook',
    insightsNote:
      "What follows is analysis of the day's stories, not reporting; every sentence names the sources it rests on.",
    developerGuide: 'Developer guide',
    risks: 'Risks and open questions',
    outlook: 'Outlook',
    model: 'Model',
    storiesAnalysed: (analysed, total) => `Stories written by the LLM: ${analysed} of ${total} (the rest extractive)`,
    verification: 'Citation check',
    verificationLine: (checked, kept, dropped) => `${checked} sentences checked, ${kept} kept, ${dropped} dropped`,
    partNames: {
      headlines: 'Headlines',
      storySummaries: 'Story summaries',
      executiveSummary: 'Executive summary',
      sectionAnalysis: 'Section analysis',
      developerGuide: 'Developer guide',
      risks: 'Risks',
      outlook: 'Outlook',
    },
    fallbacks: (count, units) => `${count} of ${units} fell back to extractive or were left out`,
    fellBack: 'fell back',
    demo: 'Demo',
    demoOutput: 'Real output of a run',
    demoChecked: (commands, limits) => `How it was checked: ${commands}; run in a sandbox with no network (${limits})`,
    demoLimits: (l) =>
      `${l.timeoutMs / 1000} s wall clock, ${l.cpuSeconds} s CPU, ${Math.round(l.memoryBytes / 1048576)} MiB memory`,
    demoFile: 'File',
    demoAbout: (path, attempts) => `${path} (ran in a sandbox with no network, on attempt ${attempts})`,
    demoAbsent: {
      disabled: 'none (turned off in the config)',
      'no-story': 'none (no top story with a technique to try)',
      budget: 'none (the run’s budget had no room for it)',
      'no-answer': 'none (the model gave no usable code)',
      'sandbox-unavailable':
        'none (no network-free sandbox can be made here — it needs unshare and prlimit — so no code was run or published)',
      failed: 'none (every attempt failed a check or its run, so nothing was published)',
    },
  },
  reportDate: 'Report date',
  mode: 'Mode',
  modeName: { extractive: 'extractive (no LLM)', llm: 'LLM-written (citations checked)' },
  topStories: 'Top stories',
  executiveSummary: 'Executive summary',
  details: 'Detailed analysis',
  dataInsights: 'Data insights',
  risingTopics: 'Rising topics',
  topRepositories: 'Top GitHub repositories',
  topModels: 'Top Hugging Face models',
  topPapers: 'Most-discussed papers',
  references: 'References',
  about: 'About this report',
  sourcesLabel: 'Sources',
  otherHeadlines: 'Other headlines',
  updateLabel: 'Update',
  firstSeen: 'first seen',
  stillTrending: 'Still trending (not new today)',
  updateText: (previousDate, newSources) =>
    `first reported on ${previousDate}; ${newSources} new ${newSources === 1 ? 'source' : 'sources'} since`,
  noBaseline: (days, needed) =>
    `Not enough history yet: rising topics need at least ${needed} earlier days on which the same sources were collected (${days} so far); this section compares term counts once they are stored.`,
  noRisingTopics: (days) => `No topic rose clearly compared with the previous ${days} ${days === 1 ? 'day' : 'days'}.`,
  risingLine: (today, baseline, days, ratio) =>
    ratio === null
      ? `${formatCount(today)} items today, none over the previous ${days} ${days === 1 ? 'day' : 'days'} of the same sources`
      : `${formatCount(today)} items today, ${formatCount(baseline)} a day over the previous ${days} ${days === 1 ? 'day' : 'days'} of the same sources: ${formatCount(today)} ÷ ${formatCount(baseline)} ≈ ${ratio}×`,
  repositoryLine: (stars, gained) =>
    [
      stars !== undefined ? `★ ${formatCount(stars)}` : '',
      gained !== undefined ? `+${formatCount(gained)} stars today` : '',
    ]
      .filter(Boolean)
      .join(', '),
  modelLine: (likes, downloads) =>
    [likes !== undefined ? plural(likes, 'like') : '', downloads !== undefined ? plural(downloads, 'download') : '']
      .filter(Boolean)
      .join(', '),
  paperLine: (points, comments, upvotes) =>
    [
      points > 0 ? plural(points, 'point') : '',
      comments > 0 ? plural(comments, 'comment') : '',
      upvotes > 0 ? plural(upvotes, 'upvote') : '',
    ]
      .filter(Boolean)
      .join(', '),
  aboutMode: {
    extractive:
      'Extractive. Every summary sentence is a sentence of its source, chosen by an algorithm; no language model was used and the report offers no opinion sections (developer guide, risks, outlook).',
    llm: 'LLM-written: the text was written by a language model from numbered sources, and every citation was checked.',
  },
  windowUtc: 'Window (UTC)',
  windowLocal: (timeZone) => `Window (${timeZone})`,
  hours: (hours) => `${hours} hours`,
  sourcesSummary: (attempted, ok, failed, disabled) =>
    `${attempted} attempted, ${ok} ok, ${failed} failed${disabled > 0 ? ` (${disabled} more disabled)` : ''}`,
  failedSource: 'Failed',
  stageCounts: 'Items at each stage',
  stageLabels: {
    stored: 'stored',
    inWindow: 'in the window',
    offTopic: 'off-topic (dropped)',
    stories: 'stories after clustering',
    storyItems: 'items in those stories',
    alreadyReported: 'already reported',
    overCap: 'over the length caps',
    selected: 'selected stories',
    selectedItems: 'items in selected stories',
  },
  emptyKinds: 'Nothing new in the window',
  emptyKind: (kind, weekend) =>
    kind === 'arxiv'
      ? `arXiv: no new papers in the window${weekend ? ' (arXiv does not announce at weekends)' : ''}`
      : `${KIND_NAMES.en[kind]}: nothing new in the window`,
  duration: (seconds) => `Duration: ${seconds} s`,
  notTimed: 'Duration: not timed (a replayed recorded day)',
  withheld: (count) =>
    `Left out: ${count} item${count === 1 ? '' : 's'} (the URL holds what looks like a credential, so it cannot be linked)`,
  version: 'Version',
  colon: ': ',
  listSeparator: '; ',
  sentenceJoin: ' ',
  citeJoin: ' ',
  parenthesize: (text) => ` (${text})`,
};

export const STRINGS: Record<ReportLanguage, RenderStrings> = { zh, en };
