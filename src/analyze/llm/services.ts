/**
 * The LLM analyzer as the registry sees it: a factory that checks the config at once and builds
 * the provider client, fetch policy and call cache when a report is analysed, from what the run
 * hands it (`LlmServices`: the store, recorded answers, log hooks).
 */
import { ConfigError } from '../../core/errors.js';
import type { AnalyzerFactory } from '../analyzer.js';
import { analyzeWithLlm } from './analyzer.js';
import { createLlmCaller, type LlmCaller, type LlmCallStore, type RecordedAnswer } from './caller.js';
import { createLanguageModel } from './client.js';
import { createLlmFetch, type FetchFunction } from './llm-fetch.js';

export interface LlmServices {
  /** Cache and call records (the run's store). */
  store: LlmCallStore;
  /** The run's id, for the call records. */
  runId?: () => string | undefined;
  /** Answers recorded with --record, by cache key (--replay). */
  replayAnswers?: ReadonlyMap<string, RecordedAnswer>;
  /** The underlying fetch (tests); default the global fetch. */
  fetch?: FetchFunction;
  /** The network policy's check, before each request. */
  checkUrl?: (url: string) => void;
  onCall?: (event: { part: string; outcome: string; cacheHit: boolean; error?: string }) => void;
  onRetry?: (event: { attempt: number; reason: string; waitMs: number }) => void;
  /** Why there is no demo, in detail (for the log; it may name local paths). */
  onDemoProblem?: (detail: string) => void;
  /** Called after the analysis with the caller (stats for the log; answers for --record). */
  onFinished?: (caller: LlmCaller) => void | Promise<void>;
  now?: () => Date;
}

export const createLlmAnalyzerFactory: AnalyzerFactory<{ llm?: LlmServices }> = (settings, services) => {
  const config = settings.llm;
  if (!config) {
    throw new ConfigError('--mode llm: no LLM is configured (the config has no `llm` section)');
  }
  return {
    mode: 'llm',
    async analyze(input) {
      const llm = services?.llm;
      if (!llm) throw new Error('the LLM analyzer was created without the run services it needs (store)');
      const fetch = createLlmFetch({
        timeoutMs: config.timeoutMs,
        retries: config.retries,
        retryBaseMs: config.retryBaseMs,
        retryAfterCapMs: config.retryAfterCapMs,
        ...(llm.fetch ? { fetch: llm.fetch } : {}),
        ...(llm.checkUrl ? { checkUrl: llm.checkUrl } : {}),
        ...(llm.onRetry ? { onRetry: llm.onRetry } : {}),
      });
      const runId = llm.runId?.();
      const caller = createLlmCaller({
        config,
        model: createLanguageModel(config, fetch),
        store: llm.store,
        ...(runId === undefined ? {} : { runId }),
        ...(llm.replayAnswers ? { replayAnswers: llm.replayAnswers } : {}),
        ...(llm.onCall ? { onCall: llm.onCall } : {}),
        ...(llm.now ? { now: llm.now } : {}),
      });
      const report = await analyzeWithLlm(input, {
        config,
        caller,
        topStories: settings.topStories,
        ...(llm.onDemoProblem ? { onDemoProblem: llm.onDemoProblem } : {}),
      });
      await llm.onFinished?.(caller);
      return report;
    },
  };
};
