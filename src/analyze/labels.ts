/**
 * Words the analysis writes itself (section names, executive-summary phrasing), per report
 * language. Renderers import these too, so one table names each section everywhere.
 */
import type { ReportLanguage } from '../core/report.js';
import type { Section } from '../core/types.js';

/** Section headings without numbers, in the seed report's wording. */
export const SECTION_LABELS: Record<ReportLanguage, Record<Section, string>> = {
  zh: {
    llm: '大语言模型（LLM）',
    multimodal: '多模态AI',
    papers: 'arXiv 论文',
    products: '科技巨头产品',
    applications: '行业应用',
    opensource: '开源项目',
  },
  en: {
    llm: 'Large language models (LLM)',
    multimodal: 'Multimodal AI',
    papers: 'arXiv papers',
    products: 'Big-tech products',
    applications: 'Applications',
    opensource: 'Open source',
  },
};

/** The default report title for a date. */
export function defaultTitle(language: ReportLanguage, date: string): string {
  return language === 'zh' ? `AI 技术日报 ${date}` : `AI Daily Report ${date}`;
}

/** "3 sources" / "3 个来源". */
export function sourceCountLabel(language: ReportLanguage, count: number): string {
  if (language === 'zh') return `${count} 个来源`;
  return count === 1 ? '1 source' : `${count} sources`;
}

/** "3 stories" / "3 条报道". */
export function storyCountLabel(language: ReportLanguage, count: number): string {
  if (language === 'zh') return `${count} 条报道`;
  return count === 1 ? '1 story' : `${count} stories`;
}

/** A story as the executive summary names it: a short name, its sources, its data (counters) when it has some. */
export interface ExecutiveStory {
  title: string;
  sources: number;
  data?: string;
}

/** What the executive summary says of one section: its count, its leaders, who follows, its headlines without text. */
export interface ExecutiveSection {
  section: Section;
  /** Stories with text (the report's count of stories); headlines without text are `bareCount`. */
  storyCount: number;
  leading: ExecutiveStory[];
  following: ExecutiveStory[];
  /** Stories with text not named. */
  moreCount: number;
  /** Headlines with nothing else to say: named (up to three) when the section has no other story. */
  bareTitles: string[];
  bareCount: number;
}

/**
 * "EnvHarness" for "EnvHarness: Awakening Static Worlds for Agent Learning": a paper's name before
 * the colon when its title opens with one (at most four words), else the title. For papers only: a
 * news headline "OpenAI: …" would lose its news.
 */
export function shortName(title: string): string {
  const match = /^([^:：]{2,40}?)\s*[:：]\s+\S/.exec(title);
  return match && match[1]!.trim().split(/\s+/).length <= 4 ? match[1]!.trim() : title;
}

function named(language: ReportLanguage, story: ExecutiveStory): string {
  const notes = [
    story.sources > 1 ? sourceCountLabel(language, story.sources) : '',
    story.data?.replace(/[。.]$/, '') ?? '',
  ].filter(Boolean);
  if (notes.length === 0) return story.title;
  return language === 'zh' ? `${story.title}（${notes.join('，')}）` : `${story.title} (${notes.join('; ')})`;
}

/**
 * One line of the executive summary: the section and its number of stories; the stories that lead
 * it, then the ones that follow, each with its sources and counters; how many more there are, and how
 * many headlines came without text (named when they are all the section has).
 */
export function executiveLine(language: ReportLanguage, line: ExecutiveSection): string {
  const label = SECTION_LABELS[language][line.section];
  const zh = language === 'zh';
  const list = (stories: ExecutiveStory[]) => stories.map((story) => named(language, story)).join(zh ? '、' : ', ');
  if (line.leading.length === 0) {
    const titles = line.bareTitles.join(zh ? '；' : '; ');
    return zh
      ? `${label}：仅有标题的 ${line.bareCount} 条：${titles}`
      : `${label}: ${line.bareCount} ${line.bareCount === 1 ? 'headline' : 'headlines'} only: ${titles}`;
  }
  const parts = [
    zh
      ? `${label}：${storyCountLabel('zh', line.storyCount)}，${line.storyCount > line.leading.length ? '居前的是' : '即'} ${list(line.leading)}`
      : `${label}: ${storyCountLabel('en', line.storyCount)}, ${line.storyCount > line.leading.length ? 'led by' : 'namely'} ${list(line.leading)}`,
  ];
  if (line.following.length > 0) {
    const following = list(line.following);
    if (line.moreCount === 0) parts.push(zh ? `其后有 ${following}` : `then ${following}`);
    else if (zh) {
      // No space between a closing full-width parenthesis and 等.
      parts.push(
        `其后有 ${following}${following.endsWith('）') ? '' : ' '}等 ${line.following.length + line.moreCount} 条`,
      );
    } else parts.push(`then ${following} and ${line.moreCount} more`);
  }
  if (line.bareCount > 0) {
    parts.push(
      zh
        ? `另有 ${line.bareCount} 条仅有标题`
        : `${line.bareCount} more ${line.bareCount === 1 ? 'is a headline' : 'are headlines'} only`,
    );
  }
  return parts.join(zh ? '；' : '; ');
}

/** The front-matter description. */
export function describeReport(
  language: ReportLanguage,
  date: string,
  storyCount: number,
  sourceCount: number,
  topTitles: string[],
): string {
  if (language === 'zh') {
    const head = `${date} AI 技术日报：${storyCountLabel('zh', storyCount)}，来自 ${sourceCountLabel('zh', sourceCount)}。`;
    return topTitles.length > 0 ? `${head}重点：${topTitles.join('；')}` : head;
  }
  const head = `AI news for ${date}: ${storyCountLabel('en', storyCount)} from ${sourceCountLabel('en', sourceCount)}.`;
  return topTitles.length > 0 ? `${head} Top: ${topTitles.join('; ')}` : head;
}
