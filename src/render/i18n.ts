/**
 * Fixed words of the rendered report, per language. Section names live in analyze/labels.ts
 * (the analysis writes them into the Report); everything else a renderer says is here.
 */

import type { FetchErrorKind } from '../core/errors.js';
import { formatCount } from '../core/quantity.js';
import type { DemoAbsenceReason, DemoLimits, LlmFallbackCause, LlmPart, ReportLanguage } from '../core/report.js';
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
  /** Stories whose summary the model wrote, of all; `causes`: why the rest are extractive (may be empty). */
  storiesWritten: (written: number, total: number, causes: string) => string;
  /** The mode line when the model wrote some stories, or nothing at all (`cause`: why, mostly). */
  modePartial: (written: number, total: number) => string;
  modeNone: (cause: string) => string;
  /** Why a piece is not the model's; `status` for an HTTP error. */
  causeName: (cause: LlmFallbackCause, status?: number) => string;
  /** "cause: count", as the list of causes after a fallback count shows it. */
  causeCount: (name: string, count: number) => string;
  /** After the demo's absence: what made the model's answer fail. */
  demoCause: (cause: string) => string;
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
  /** Above a digest story's headline list (ReportStory.digest). */
  digestHeadlines: string;
  updateLabel: string;
  /** Before a reference's time when the item had no usable date of its own. */
  firstSeen: string;
  /** Marks a story that a trending list shows but that is not new. */
  stillTrending: string;
  /** "first reported on D; N new sources since". */
  updateText: (previousDate: string, newSources: number) => string;
  risingLine: (today: number, baseline: number, days: number, ratio: number | null) => string;
  repositoryLine: (stars: number | undefined, gained: number | undefined) => string;
  modelLine: (likes: number | undefined, downloads: number | undefined) => string;
  paperLine: (points: number, comments: number, upvotes: number) => string;
  aboutMode: { extractive: string; llm: string };
  windowUtc: string;
  windowLocal: (timeZone: string) => string;
  hours: (hours: number) => string;
  sourcesSummary: (attempted: number, ok: number, disabled: number) => string;
  /** "23 sources could not be fetched today": the one line the about section gives them. */
  failedSources: (count: number) => string;
  /** "unavailable 20" as the failed-sources line counts each reason. */
  failedKindCount: (reason: string, count: number) => string;
  /** Why a source failed, in the report's language (the JSON keeps the error message). */
  errorKinds: Record<FetchErrorKind | 'unknown', string>;
  /** About: rising topics left out for want of history ("needed" earlier days, "days" so far). */
  risingNoBaseline: (days: number, needed: number) => string;
  /** About: rising topics left out because none rose over the baseline. */
  risingNone: (days: number) => string;
  /** The one line at the top of a quiet day: few stories, few sources fetched, or both. */
  quietDay: (note: {
    stories: number;
    fewStories: boolean;
    ok: number;
    attempted: number;
    fewSources: boolean;
  }) => string;
  /** The HTML page's section index. */
  contents: string;
  stageCounts: string;
  stageLabels: {
    stored: string;
    inWindow: string;
    instructionTitles: string;
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
    storiesWritten: (written, total, causes) =>
      written === total
        ? `LLM 撰写的报道：${written} / ${total}`
        : `LLM 撰写的报道：${written} / ${total}，其余为抽取式${causes ? `（${causes}）` : ''}`,
    modePartial: (written, total) => `LLM 生成（已核对引用；模型撰写了 ${written} / ${total} 篇报道，其余为抽取式）`,
    modeNone: (cause) => `抽取式（模型没有写成任何部分：${cause}）`,
    causeName: (cause, status) =>
      cause === 'http-error' && status !== undefined
        ? `模型接口返回 HTTP ${status}`
        : (
            {
              timeout: '模型接口超时',
              'http-error': '模型接口返回 HTTP 错误',
              connection: '连不上模型接口',
              'not-an-answer': '模型接口返回的不是回答（如网页）',
              'too-large': '回答超出大小上限',
              'invalid-answer': '回答不符合要求的格式',
              'endpoint-failing': '模型接口接连失败，未再请求',
              deadline: '超过本次运行的时限',
              budget: '超出本次运行的预算',
              'max-stories': '超出配置的报道数上限（maxStories）',
              'no-sources': '没有可用的来源文字',
              verifier: '引用核对删去过多',
              digest: '汇总类文章只列出其标题，不由模型概括',
            } as const
          )[cause],
    causeCount: (name, count) => `${name} ${count} 处`,
    demoCause: (cause) => `原因：${cause}`,
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
      'no-source-text': '无（适合演示的头条只有标题，没有描述技术的正文）',
      budget: '无（本次运行的预算不足）',
      'no-answer': '无（模型没有给出可用的代码）',
      'sandbox-unavailable': '无（本机无法创建沙箱（需要 bubblewrap 和用户命名空间），代码未运行，也未发布）',
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
  digestHeadlines: '本期汇总',
  updateLabel: '更新',
  firstSeen: '首次发现',
  stillTrending: '仍在热榜（非今日新发布）',
  updateText: (previousDate, newSources) => `此前已于 ${previousDate} 报道，之后新增 ${newSources} 个来源`,
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
  sourcesSummary: (attempted, ok, disabled) =>
    `尝试 ${attempted} 个，成功 ${ok} 个${disabled > 0 ? `（另有 ${disabled} 个已停用）` : ''}`,
  failedSources: (count) => `${count} 个来源今日未能获取`,
  failedKindCount: (reason, count) => `${reason} ${count} 个`,
  errorKinds: {
    dns: '域名解析失败',
    connection: '连接失败',
    timeout: '超时',
    tls: 'TLS 错误',
    'bad-url': '网址无效',
    redirect: '重定向出错',
    'http-status': 'HTTP 错误状态',
    'rate-limited': '请求过于频繁被限流',
    'too-large': '响应过大',
    decode: '无法解码',
    empty: '内容为空',
    'not-a-feed': '不是订阅源',
    parse: '无法解析',
    budget: '超出本次预算',
    deadline: '未在本次截止时间前完成',
    unavailable: '无法获取',
    blocked: '被网络策略拦截',
    unknown: '原因未知',
  },
  risingNoBaseline: (days, needed) => `上升话题：需要至少 ${needed} 天的历史数据（目前 ${days} 天），本期未列出`,
  risingNone: (days) => `上升话题：与前 ${days} 天相比没有明显上升的话题，本期未列出`,
  quietDay: ({ stories, fewStories, ok, attempted, fewSources }) =>
    [
      fewStories ? `今日新闻较少，共 ${stories} 条报道` : '',
      fewSources ? `${attempted} 个来源中仅 ${ok} 个获取成功，报道可能不全` : '',
    ]
      .filter(Boolean)
      .join('；')
      .concat('。'),
  contents: '目录',
  stageCounts: '各阶段数量',
  stageLabels: {
    stored: '库中条目',
    inWindow: '时间窗口内',
    instructionTitles: '标题是指令而非新闻（已排除）',
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
    storiesWritten: (written, total, causes) =>
      written === total
        ? `Stories written by the LLM: ${written} of ${total}`
        : `Stories written by the LLM: ${written} of ${total}; the rest are extractive${causes ? ` (${causes})` : ''}`,
    modePartial: (written, total) =>
      `LLM-written (citations checked; the model wrote ${written} of ${total} stories, the rest are extractive)`,
    modeNone: (cause) => `extractive (the model wrote none of it: ${cause})`,
    causeName: (cause, status) =>
      cause === 'http-error' && status !== undefined
        ? `the endpoint answered HTTP ${status}`
        : (
            {
              timeout: 'the endpoint timed out',
              'http-error': 'the endpoint answered an HTTP error',
              connection: 'no connection to the endpoint',
              'not-an-answer': 'the endpoint answered something other than an answer (a web page)',
              'too-large': 'the answer was over the size limit',
              'invalid-answer': 'the answer was not in the asked shape',
              'endpoint-failing': 'the endpoint kept failing, so it was not asked',
              deadline: 'the run’s deadline had passed',
              budget: 'over the run’s budget',
              'max-stories': 'beyond the configured story limit (maxStories)',
              'no-sources': 'no source text to give',
              verifier: 'the citation check dropped too much',
              digest: 'a digest is shown as its own headline list, not summarised by the model',
            } as const
          )[cause],
    causeCount: (name, count) => `${name}: ${count}`,
    demoCause: (cause) => `cause: ${cause}`,
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
      'no-source-text': 'none (the top stories with a technique to try have titles only, no text describing it)',
      budget: 'none (the run’s budget had no room for it)',
      'no-answer': 'none (the model gave no usable code)',
      'sandbox-unavailable':
        'none (no sandbox can be made here — it needs bubblewrap and user namespaces — so no code was run or published)',
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
  digestHeadlines: 'In this digest',
  updateLabel: 'Update',
  firstSeen: 'first seen',
  stillTrending: 'Still trending (not new today)',
  updateText: (previousDate, newSources) =>
    `first reported on ${previousDate}; ${newSources} new ${newSources === 1 ? 'source' : 'sources'} since`,
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
  sourcesSummary: (attempted, ok, disabled) =>
    `${attempted} attempted, ${ok} fetched${disabled > 0 ? ` (${disabled} more disabled)` : ''}`,
  failedSources: (count) => `${count} ${count === 1 ? 'source' : 'sources'} could not be fetched today`,
  failedKindCount: (reason, count) => `${count} ${reason}`,
  errorKinds: {
    dns: 'DNS lookup failed',
    connection: 'connection failed',
    timeout: 'timed out',
    tls: 'TLS error',
    'bad-url': 'invalid URL',
    redirect: 'redirect error',
    'http-status': 'HTTP error status',
    'rate-limited': 'rate-limited',
    'too-large': 'response too large',
    decode: 'could not be decoded',
    empty: 'empty response',
    'not-a-feed': 'not a feed',
    parse: 'could not be parsed',
    budget: 'over this run’s budget',
    deadline: 'not collected before the run’s deadline',
    unavailable: 'unavailable',
    blocked: 'blocked by the network policy',
    unknown: 'reason unknown',
  },
  risingNoBaseline: (days, needed) =>
    `Rising topics: left out until ${needed} earlier days of history are stored (${days} so far)`,
  risingNone: (days) =>
    `Rising topics: left out, no topic rose clearly over the previous ${days} ${days === 1 ? 'day' : 'days'}`,
  quietDay: ({ stories, fewStories, ok, attempted, fewSources }) => {
    const few = `A quiet day: ${stories} ${stories === 1 ? 'story' : 'stories'}`;
    const sources = `only ${ok} of ${attempted} sources could be fetched, so the report may be incomplete`;
    if (fewStories && fewSources) return `${few}; ${sources}.`;
    if (fewStories) return `${few}.`;
    return `${sources.charAt(0).toUpperCase()}${sources.slice(1)}.`;
  },
  contents: 'Contents',
  stageCounts: 'Items at each stage',
  stageLabels: {
    stored: 'stored',
    inWindow: 'in the window',
    instructionTitles: 'titles that are instructions, not news (dropped)',
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
