import type { FetchErrorKind } from './errors.js';
import type { PipelineItem, SourceKind, Story } from './types.js';

/** The report day and the time window it covers. */
export interface ReportWindow {
  /** Report date, YYYY-MM-DD, in `timezone`. Computed once; every output uses this value. */
  date: string;
  timezone: string;
  /** Window start and end, ISO 8601 UTC. `end` is the run time. */
  start: string;
  end: string;
  hours: number;
}

/**
 * The checkpointed stages of a run, in the order they run (`app/stages.ts` saves each one's output
 * in the store): collect (fetch the sources), stories (window, cluster, rank, select), publish
 * (write the report's files, all or none).
 */
export const RUN_STAGES = ['collect', 'stories', 'publish'] as const;
export type RunStage = (typeof RUN_STAGES)[number];

/** What happened to one source in one run. */
export interface SourceOutcome {
  id: string;
  name: string;
  kind: SourceKind;
  status: 'ok' | 'not-modified' | 'failed' | 'disabled';
  errorKind?: FetchErrorKind;
  /** Short, safe reason (no paths, no secrets). */
  error?: string;
  itemsFound: number;
  itemsNew: number;
  itemsSeen: number;
  elapsedMs: number;
}

/**
 * A source's outcome as a report states it: what it gave, not what was new to this store (which
 * depends on earlier runs and would make the same day's report differ between two runs).
 * `elapsedMs` is null for a replayed day (see RunManifest.durationMs).
 */
export type ManifestSource = Omit<SourceOutcome, 'elapsedMs' | 'itemsNew' | 'itemsSeen'> & { elapsedMs: number | null };

/** Items counted at each stage, so that every in-window item is a story or a counted drop. */
export interface StageCounts {
  /** Items in the store for the sources of this run (all dates). */
  stored: number;
  inWindow: number;
  /**
   * In-window items dropped because their title is an instruction to the reader, the writer or an
   * AI, or holds a URL, an email address or a command (core/hygiene.ts#sourceSentenceRefusal):
   * such a title is no news and never becomes a headline.
   */
  instructionTitles: number;
  /** In-window items dropped as off-topic for the preset (no topic term) — counted, never silent. */
  offTopic: number;
  stories: number;
  /** Items inside those stories: inWindow = instructionTitles + offTopic + storyItems, so no item is lost silently. */
  storyItems: number;
  /** Stories not shown because they were reported on an earlier day and gained no source. */
  alreadyReported: number;
  /** Stories not shown because of the per-section or total caps. */
  overCap: number;
  selected: number;
  /** Items inside the selected stories. */
  selectedItems: number;
}

/** Everything the report says about how it was made: rendered in "about this report". */
export interface RunManifest {
  window: ReportWindow;
  mode: 'extractive' | 'llm';
  sources: ManifestSource[];
  counts: StageCounts;
  /** Source kinds that had sources configured but nothing inside the window (arXiv at weekends). */
  emptyKinds: SourceKind[];
  /**
   * Wall time of the run in ms; null for a replayed day, whose wall time says nothing about that
   * day (and would make two replays of the same day differ).
   */
  durationMs: number | null;
  /** Version of ai-daily that made the report. */
  version: string;
}

/** Term frequencies of one earlier day, for "rising topics". */
export interface DayTerms {
  date: string;
  /** term → number of in-window items whose title or text used it. */
  terms: Record<string, number>;
  items: number;
  /** Today only: term → ids of the sources whose items used it (the baseline is checked per source). */
  termSources?: Record<string, string[]>;
  /** History days only: ids of the sources already being collected on that day. */
  collected?: string[];
}

/** What analysis and rendering get: the selected stories and everything they cite. */
export interface ReportInput {
  window: ReportWindow;
  language: 'zh' | 'en';
  /** Report title override from config; else the language's default. */
  title?: string;
  author: string;
  /** Selected stories, best first, each with its section. */
  stories: Story[];
  /** Ids of the top stories (pipeline/select chooseTopStories), best first; absent: the best by score. */
  topStoryIds?: string[];
  /** Every item of the selected stories, by id. */
  items: Record<string, PipelineItem>;
  /**
   * In-window items that carry data-section figures (a repository's stars, a model's likes, a
   * paper's points), by id, whether or not a selected story holds them.
   */
  dataItems?: Record<string, PipelineItem>;
  /** Term counts of today's in-window items (rising topics compare them with `history`). */
  todayTerms: DayTerms;
  /** Up to 7 previous days, newest first. */
  history: DayTerms[];
  manifest: RunManifest;
}

/** One LLM call (or cache hit) as the store keeps it. */
export interface LlmCallRecord {
  runId?: string;
  cacheKey: string;
  /** Which part of the report ("story:<id>", "overview"). */
  part: string;
  provider: string;
  model: string;
  promptVersion: string;
  startedAt: string;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  cacheHit: boolean;
  outcome: 'ok' | 'repaired' | 'invalid-output' | 'error' | 'budget';
  error?: string;
  answer?: string;
}
