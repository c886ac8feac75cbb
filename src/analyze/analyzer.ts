/**
 * The analysis step behind a small interface: given the selected stories with their source texts
 * and the day's context, return the report (text parts with citations). The extractive analyzer is
 * one implementation; an LLM analyzer is another, registered in ./registry.ts.
 */
import type { LlmConfig } from '../config/schema.js';
import type { Report } from '../core/report.js';
import type { ReportInput } from '../core/run.js';

/** Analysis modes that an analyzer can implement. */
export const ANALYSIS_MODES = ['extractive', 'llm'] as const;
export type AnalysisMode = (typeof ANALYSIS_MODES)[number];

/** What a user may ask for: a mode, or `auto` (llm when one is configured, else extractive). */
export const REQUESTED_MODES = ['auto', ...ANALYSIS_MODES] as const;
export type RequestedMode = (typeof REQUESTED_MODES)[number];

/** The config's `report` settings an analyzer honours (src/config/schema.ts `report`). */
export interface AnalyzerSettings {
  /** Stories in "top stories". */
  topStories: number;
  /** The config's `llm` section, when there is one (the LLM analyzer needs it). */
  llm?: LlmConfig;
}

export interface Analyzer {
  readonly mode: AnalysisMode;
  /** Same input → same report for a deterministic analyzer; every URL in it is an input item's. */
  analyze(input: ReportInput): Promise<Report>;
}

/**
 * Creates an analyzer from the report settings (and, for an LLM analyzer, its own config) and what
 * it needs from the run besides its input (`Services`; the registry names them, `registry.ts`
 * `AnalyzerServices`), so this interface names no implementation.
 */
export type AnalyzerFactory<Services = unknown> = (settings: AnalyzerSettings, services?: Services) => Analyzer;
