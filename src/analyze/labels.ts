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

/**
 * One executive-summary line: a section, its story count and its leading stories. A story's
 * coverage is named only when more than one source reports it: that is news ("3 个来源"); "1
 * source" after every title is noise.
 */
export function executiveLine(
  language: ReportLanguage,
  section: Section,
  storyCount: number,
  leading: { title: string; sources: number }[],
): string {
  const label = SECTION_LABELS[language][section];
  if (language === 'zh') {
    const titles = leading
      .map((story) => (story.sources > 1 ? `${story.title}（${sourceCountLabel('zh', story.sources)}）` : story.title))
      .join('；');
    return `${label}：${storyCountLabel('zh', storyCount)}，${storyCount > leading.length ? '居前的有' : '包括'} ${titles}`;
  }
  const titles = leading
    .map((story) => (story.sources > 1 ? `${story.title} (${sourceCountLabel('en', story.sources)})` : story.title))
    .join('; ');
  return `${label}: ${storyCountLabel('en', storyCount)}, ${storyCount > leading.length ? 'led by' : 'namely'} ${titles}`;
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
