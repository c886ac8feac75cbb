/**
 * The report as data: what analysis produces and every renderer (Markdown, JSON, …) reads.
 * Citations are reference numbers (`CitedText.cites`); renderers turn them into links at the end.
 */
import type { RunManifest } from './run.js';
import type { CitedText, Reference, ScoreBreakdown, Section } from './types.js';

/** One link of a story: the page of one collected item. */
export interface StoryLink {
  title: string;
  /** The item's own URL (never anything we made up). */
  url: string;
  sourceName: string;
}

/** Set when the story was already reported on an earlier day and has gained sources since. */
export interface StoryUpdate {
  /** Date (YYYY-MM-DD) of the earlier report. */
  previousReportDate: string;
  /** Sources the story had then. */
  previousSourceCount: number;
  /** Sources it has now that it did not have then. */
  newSourceCount: number;
}

/** A story as the report shows it. */
export interface ReportStory {
  id: string;
  title: string;
  section: Section;
  /**
   * 1–3 sentences, each verbatim from a cited item's title or text; for a digest (`digest`), the
   * digest's own headlines instead (up to {@link MAX_DIGEST_HEADLINES}).
   */
  summary: CitedText[];
  /**
   * The story's representative item is a digest post (「AI日报：A；B；C」, a weekly roundup, a
   * newsletter): `summary` is its headlines — the parts of its title, or the heading lines of its
   * text when that is a list — each verbatim and citing the digest, shown as a bullet list under its
   * title. Never sentences picked from its text, never a model's summary. Absent otherwise.
   */
  digest?: true;
  /**
   * The story's own data read as a sentence in the report's language (stars and stars gained,
   * likes and downloads, points and comments, upvotes; a model's organisation and size): our text,
   * built from the cited items' counters (analyze/story-data.ts), never a quote. Absent without data.
   */
  data?: CitedText;
  links: StoryLink[];
  /** Distinct source names, in item order. */
  sourceNames: string[];
  score: ScoreBreakdown;
  /** Listed by a snapshot source (trending, "best of") and not new there: popular now, not news. */
  stillTrending?: boolean;
  update?: StoryUpdate;
  /**
   * LLM mode: a headline the model wrote in the report language (checked like every model
   * sentence); `title` stays the original title, shown beside it. Absent in extractive reports.
   */
  headline?: string;
}

/** Headlines of a digest story (`ReportStory.digest`) the report lists, at most. */
export const MAX_DIGEST_HEADLINES = 8;

/** One of the six report sections; only sections with stories appear in a report. */
export interface ReportSection {
  section: Section;
  /** Heading text in the report language, without numbering ("大语言模型（LLM）"). */
  heading: string;
  stories: ReportStory[];
  /**
   * Items of the section with nothing to say beyond their headline (no text, no page, no data):
   * listed compactly by title, source and link after its stories, never among the top stories.
   */
  otherHeadlines?: StoryLink[];
  /** LLM mode: an analysis paragraph on the section's stories (checked sentences). */
  analysis?: CitedText[];
}

/** A term used by more of today's items than the previous days' average. */
export interface RisingTopic {
  term: string;
  /** In-window items that used the term today. */
  today: number;
  /** Average items per day that used it over `baselineDays` (two decimals). */
  baseline: number;
  /** Earlier days the term's baseline rests on: days on which every source that used it today was collected. */
  baselineDays: number;
  /** `today ÷ baseline` to one decimal; null when the baseline is 0 (a term not seen on those days). */
  ratio: number | null;
  /** References of report items that use the term. */
  cites: number[];
}

/** A GitHub repository of the day, by stars gained (then stars). */
export interface RepositoryLine {
  /** The selected story that holds it, when one does (the line cites the item either way). */
  storyId?: string;
  /** "owner/name" when known, else the item title. */
  name: string;
  stars?: number;
  starsGained?: number;
  cites: number[];
}

/** A Hugging Face model of the day, by likes. */
export interface ModelLine {
  /** The selected story that holds it, when one does (the line cites the item either way). */
  storyId?: string;
  name: string;
  likes?: number;
  downloads?: number;
  cites: number[];
}

/** A paper of the day, by discussion (points, comments, upvotes summed over its items). */
export interface PaperLine {
  /** The selected story that holds it, when one does (the line cites the item either way). */
  storyId?: string;
  title: string;
  points: number;
  comments: number;
  upvotes: number;
  cites: number[];
}

/** Sections computed from counts and engagement, not from opinion. */
export interface DataSections {
  /**
   * Earlier days with collected sources that the rising-topics baseline can rest on; fewer than
   * `minBaselineDays` = not enough history yet (no topics).
   */
  baselineDays: number;
  /** Earlier days a term's sources must have been collected on before it can be called rising. */
  minBaselineDays: number;
  risingTopics: RisingTopic[];
  topRepositories: RepositoryLine[];
  topModels: ModelLine[];
  topPapers: PaperLine[];
}

/** A story worth reading in full: its best link. */
export interface ReadingListEntry {
  storyId: string;
  title: string;
  url: string;
  cites: number[];
}

/** The parts of a report an LLM writes; each is checked sentence by sentence. */
export const LLM_PARTS = [
  'headlines',
  'storySummaries',
  'executiveSummary',
  'sectionAnalysis',
  'developerGuide',
  'risks',
  'outlook',
] as const;
export type LlmPart = (typeof LLM_PARTS)[number];

/** What the verifier did to one part. */
export interface PartVerification {
  /** Pieces of the part the model was asked for (stories for headlines and summaries, sections, 1 otherwise). */
  units: number;
  /** Model sentences checked. */
  checked: number;
  kept: number;
  dropped: number;
  /** Pieces that fell back to the extractive text (or were left out, where extraction has none). */
  fallbacks: number;
}

/**
 * Why a piece of an LLM report is not the model's: the endpoint failed (`timeout`, `http-error`,
 * `connection`, `not-an-answer`: an HTML page or other non-JSON body, `too-large`: over the
 * response cap), the model's answer did not fit the asked shape twice (`invalid-answer`), the
 * endpoint had failed call after call so the rest was not asked (`endpoint-failing`), the run's
 * deadline (`deadline`) or budget (`budget`) left no room, the story was beyond `llm.maxStories`
 * (`max-stories`), it had no source text to give (`no-sources`), or the citation check dropped too
 * many of its sentences (`verifier`); a digest story (`ReportStory.digest`) keeps its extractive
 * headline list, as the model is never asked to summarise a digest (`digest`).
 */
export const LLM_FALLBACK_CAUSES = [
  'timeout',
  'http-error',
  'connection',
  'not-an-answer',
  'too-large',
  'invalid-answer',
  'endpoint-failing',
  'deadline',
  'budget',
  'max-stories',
  'no-sources',
  'verifier',
  'digest',
] as const;
export type LlmFallbackCause = (typeof LLM_FALLBACK_CAUSES)[number];

/** A piece of an LLM report: a story's headline or summary, a section's analysis, a whole part, the demo. */
export interface LlmPieceRef {
  part: LlmPart | 'demo';
  /** The story (headlines, storySummaries, demo). */
  storyId?: string;
  /** The section (sectionAnalysis). */
  section?: Section;
}

/** Who wrote one piece of the report, and why not the model where it did not. */
export interface LlmPieceOutcome extends LlmPieceRef {
  /** `model`: model text that passed the check; `extractive`: the extractive text; `none`: left out. */
  writtenBy: 'model' | 'extractive' | 'none';
  cause?: LlmFallbackCause;
  /** The HTTP status, for `http-error`. */
  status?: number;
}

/** A model sentence the citation check dropped from the answer the report used. */
export interface LlmDroppedSentence extends LlmPieceRef {
  /** The verifier's reason (`unsupported-number`, `unsupported-name`, …). */
  reason: string;
  /** What failed, naming the token ('number "85%" is not in excerpt [2]'); absent where the sentence is withheld. */
  detail?: string;
  /**
   * The sentence as the model wrote it, for `run --json` (never in the published JSON); absent when
   * it carried markup, a URL or other unsafe text.
   */
  text?: string;
}

/** How an LLM report was made (deterministic: no call counts, times or cache hits). */
export interface LlmReportInfo {
  provider: string;
  model: string;
  promptVersion: string;
  /** Stories the model was asked about (the budget, the deadline and `llm.maxStories` may shrink this). */
  storiesAnalysed: number;
  /** Stories whose summary the report shows as the model wrote it (the rest are extractive). */
  storiesWritten: number;
  storiesTotal: number;
  verification: Record<LlmPart, PartVerification>;
  /** Dropped sentences by the verifier's reason (of the answers the report used). */
  droppedReasons: Record<string, number>;
  /** Every piece, who wrote it and, where not the model, why. */
  pieces: LlmPieceOutcome[];
  /** Every sentence dropped from the answers the report used, with its piece, reason and failing token. */
  droppedSentences: LlmDroppedSentence[];
}

/** LLM mode: analysis grounded on the day's stories, labelled as analysis. */
export interface ReportInsights {
  developerGuide: CitedText[];
  risks: CitedText[];
  outlook: CitedText[];
}

/** Limits a demo ran under (src/analyze/demo/sandbox.ts). */
export interface DemoLimits {
  timeoutMs: number;
  cpuSeconds: number;
  memoryBytes: number;
  fileSizeBytes: number;
  outputLimitBytes: number;
}

/** LLM mode: a short Python demo for one top story that passed the code policy and ran in the sandbox (bubblewrap). */
export interface ReportDemo {
  /** The story it illustrates (a top story). */
  storyId: string;
  section: Section;
  /** The story's title and link, as the file's header names them. */
  storyTitle: string;
  url: string;
  /** One line on what it shows (model text, checked against the story's excerpts like every model sentence). */
  shows: string;
  /** Reference numbers the "shows" line cites (Reference.n). */
  cites: number[];
  /** The Python source as it ran (model text). */
  code: string;
  /** What the run printed, the real output of that run (never cut: an output past the cap is not published). */
  output: string;
  /** Always false (kept for readers of older reports). */
  outputTruncated: boolean;
  /** Relative to the output folder: demo_code/<section>/demo_YYYYMMDD.py. */
  path: string;
  /** The commands that checked it, as a reader can repeat them. */
  commands: string[];
  limits: DemoLimits;
  /** Attempts it took (1 = the first ran). */
  attempts: number;
}

/** Why an LLM report has no demo. */
export const DEMO_ABSENCE_REASONS = [
  /** `llm.demo.enabled: false`. */
  'disabled',
  /** No top story in a section with a technique to try (llm, opensource, multimodal, papers). */
  'no-story',
  /** Such top stories exist, but their sources are titles only: no text describes a technique. */
  'no-source-text',
  /** The per-run budget had no room for the demo call. */
  'budget',
  /** The model gave no usable answer. */
  'no-answer',
  /** The sandbox (bubblewrap with user namespaces) is not available here: nothing was asked or run. */
  'sandbox-unavailable',
  /** Every attempt failed a check (code policy, compile, run, time, output, its "shows" line) or was too long. */
  'failed',
] as const;
export type DemoAbsenceReason = (typeof DEMO_ABSENCE_REASONS)[number];

export interface DemoAbsence {
  reason: DemoAbsenceReason;
  /** Why the model gave no answer (`no-answer`): the endpoint's failure, the deadline, … */
  cause?: LlmFallbackCause;
  /** Attempts made (sandbox runs or model answers refused). */
  attempts: number;
}

/** The language a report is written in (one table of words per language, `analyze/labels.ts`, `render/i18n.ts`). */
export type ReportLanguage = 'zh' | 'en';

/**
 * The id of the report that a config without `reports:` makes (src/config/reports.ts): the one whose
 * files lie at the output folder's root and whose rows the store held before reports had ids.
 */
export const DEFAULT_REPORT_ID = 'default';

export interface Report {
  /** Report date, YYYY-MM-DD in `timezone`: the one date every output uses. */
  date: string;
  timezone: string;
  language: ReportLanguage;
  title: string;
  author: string;
  /** The run time (window end), ISO 8601 UTC. Never the wall clock of rendering. */
  generatedAt: string;
  window: { start: string; end: string; hours: number };
  topStories: { storyId: string; title: string; line: CitedText }[];
  executiveSummary: CitedText[];
  /** Non-empty sections in SECTIONS order. */
  sections: ReportSection[];
  dataSections: DataSections;
  readingList?: ReadingListEntry[];
  /** LLM mode: developer guide, risks and outlook (absent in extractive reports). */
  insights?: ReportInsights;
  /** LLM mode: provider, model and what the verifier checked and dropped per part. */
  llm?: LlmReportInfo;
  /** LLM mode: the demo that ran and is published beside the report (docs/decisions/0130). */
  demo?: ReportDemo;
  /** LLM mode without a demo: why there is none. */
  demoAbsence?: DemoAbsence;
  /** Every cited item, numbered in order of first use. */
  references: Reference[];
  manifest: RunManifest;
  tags: string[];
  /** Headings of the sections present. */
  categories: string[];
  description: string;
  /** Items left out because they could not be shown safely (a URL holding a credential-looking token). */
  withheld?: number;
}

/**
 * Every part of a report that cites references, in the order the document renders them: top
 * stories, executive summary, each section's analysis and stories, insights, data sections,
 * reading list. The one list the analyzer renumbers by and the quality gate checks.
 */
export function citingParts(report: Report): { cites: number[] }[] {
  return [
    ...report.topStories.map((top) => top.line),
    ...report.executiveSummary,
    ...report.sections.flatMap((section) => [
      ...(section.analysis ?? []),
      ...section.stories.flatMap((story) => [
        ...story.summary,
        ...(story.data ? [story.data] : []),
        // The demo is rendered beside its story.
        ...(report.demo?.storyId === story.id ? [report.demo] : []),
      ]),
    ]),
    ...(report.insights
      ? [...report.insights.developerGuide, ...report.insights.risks, ...report.insights.outlook]
      : []),
    ...report.dataSections.risingTopics,
    ...report.dataSections.topRepositories,
    ...report.dataSections.topModels,
    ...report.dataSections.topPapers,
    ...(report.readingList ?? []),
  ];
}

/**
 * A story that says nothing beyond its headline: no data line, and no summary sentence other than
 * the title itself. The extractive report lists such items as its sections' other headlines.
 */
export function isBareStory(story: Pick<ReportStory, 'title' | 'summary' | 'data'>): boolean {
  if (story.data) return false;
  return story.summary.every((sentence) => sentence.text.trim() === story.title.trim());
}

/**
 * Of a report's selected stories (its sections' stories and other headlines), how many carry an
 * informative line (a sentence beyond the headline, or the story's data).
 */
export function informativeStories(report: Pick<Report, 'sections'>): { informative: number; selected: number } {
  let informative = 0;
  let selected = 0;
  for (const section of report.sections) {
    selected += section.stories.length + (section.otherHeadlines?.length ?? 0);
    informative += section.stories.filter((story) => !isBareStory(story)).length;
  }
  return { informative, selected };
}
