import { ConfigError } from '../core/errors.js';
import type { AnalysisMode, Analyzer, AnalyzerFactory, AnalyzerSettings, RequestedMode } from './analyzer.js';
import { buildReport } from './extractive.js';
import { createLlmAnalyzerFactory, type LlmServices } from './llm/services.js';

/** What an analyzer may need from the run besides its input (the LLM analyzer: store, log hooks). */
export interface AnalyzerServices {
  llm?: LlmServices;
}

/** The extractive analyzer: every sentence is one of the stories' own sentences. */
export const createExtractiveAnalyzer: AnalyzerFactory = (settings) => ({
  mode: 'extractive',
  analyze: async (input) => buildReport(input, { topStories: settings.topStories }),
});

/** Analyzers by mode. An LLM analyzer registers itself here (one file, one factory). */
export const analyzers: Partial<Record<AnalysisMode, AnalyzerFactory<AnalyzerServices>>> = {
  extractive: createExtractiveAnalyzer,
  llm: createLlmAnalyzerFactory,
};

/** `auto` → llm when an LLM is configured, else extractive; an explicit mode is kept. */
export function resolveMode(
  requested: RequestedMode,
  llmConfigured: boolean,
  registry: Partial<Record<AnalysisMode, AnalyzerFactory<AnalyzerServices>>> = analyzers,
): AnalysisMode {
  if (requested === 'auto') return llmConfigured && registry.llm ? 'llm' : 'extractive';
  return requested;
}

/**
 * The analyzer for a requested mode. Asking for a mode that is not available (`--mode llm` with no
 * LLM configured, or none registered) is a usage error, found before anything is fetched.
 */
export function createAnalyzer(
  requested: RequestedMode,
  settings: AnalyzerSettings,
  options: { llmConfigured: boolean; services?: AnalyzerServices },
  registry: Partial<Record<AnalysisMode, AnalyzerFactory<AnalyzerServices>>> = analyzers,
): Analyzer {
  const mode = resolveMode(requested, options.llmConfigured, registry);
  if (mode === 'llm' && !options.llmConfigured) {
    throw new ConfigError(
      '--mode llm: no LLM is configured (the config has no `llm` section); use --mode extractive or --mode auto',
    );
  }
  const factory = registry[mode];
  if (!factory) {
    throw new ConfigError(`--mode ${mode}: no ${mode} analyzer is available in this build; use --mode extractive`);
  }
  return factory(settings, options.services);
}
