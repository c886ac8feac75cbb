/**
 * One model call for one part of the report, with everything around it: a recorded answer
 * (`--replay`) or a cached one (the store, keyed by model + prompt version + input texts) is used
 * instead of calling; an answer that is not an object of the schema is repaired or asked for once
 * more; every call and cache hit is recorded (tokens, cost, latency, outcome); a failure returns
 * undefined so that the part falls back to extractive text, and `failureOf` says why. Never throws
 * for a model's failure.
 *
 * Two limits hold over all calls: the run's deadline (`llm.runDeadlineSeconds`, from the caller's
 * creation: a call in flight then is aborted, and no call starts after it) and an endpoint that
 * keeps failing (after FAILING_AFTER calls in a row failed at the endpoint — timeouts, HTTP
 * errors other than a refused request, web pages — the remaining parts are not asked).
 */
import { APICallError, type LanguageModel } from 'ai';
import type { z } from 'zod';
import type { LlmConfig } from '../../config/schema.js';
import { errorMessage } from '../../core/errors.js';
import type { LlmFallbackCause } from '../../core/report.js';
import type { LlmCallRecord } from '../../core/run.js';
import { costOf } from './budget.js';
import { generateStructured, type StructuredRequest } from './client.js';
import { LlmHttpError } from './llm-fetch.js';
import { PROMPT_VERSION } from './prompt.js';

/** Calls in a row that failed at the endpoint after which the rest of the run asks no more. */
export const FAILING_AFTER = 2;

/** Why a call gave no answer. */
export interface CallFailure {
  cause: Extract<
    LlmFallbackCause,
    | 'timeout'
    | 'http-error'
    | 'connection'
    | 'not-an-answer'
    | 'too-large'
    | 'invalid-answer'
    | 'endpoint-failing'
    | 'deadline'
  >;
  /** The HTTP status, for `http-error`. */
  status?: number;
}

/** What the caller needs of the store (src/store/store.ts implements it). */
export interface LlmCallStore {
  findLlmAnswer(cacheKey: string): Promise<{ answer: string; inputTokens: number; outputTokens: number } | undefined>;
  recordLlmCall(call: LlmCallRecord): Promise<void>;
}

/** Answers recorded with `--record`, by cache key (`--replay` reads them back). */
export interface RecordedAnswer {
  key: string;
  part: string;
  model: string;
  answer: string;
  inputTokens: number;
  outputTokens: number;
}

export interface CallRequest<T> {
  part: string;
  key: string;
  schema: z.ZodType<T>;
  name: string;
  system: string;
  prompt: string;
  maxOutputTokens: number;
}

export interface CallStats {
  calls: number;
  cacheHits: number;
  replayed: number;
  failures: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
}

export interface LlmCaller {
  readonly promptVersion: string;
  call<T>(request: CallRequest<T>): Promise<T | undefined>;
  readonly stats: CallStats;
  /** Answers of this run's calls and cache hits (what `--record` saves). */
  readonly answers: RecordedAnswer[];
  /** Why the last call for `part` gave no answer; undefined when it gave one (a scripted caller may leave it out). */
  failureOf?(part: string): CallFailure | undefined;
}

export interface LlmCallerOptions {
  config: LlmConfig;
  model: LanguageModel;
  store: LlmCallStore;
  runId?: string;
  /** Recorded answers to use before the cache and the model (`--replay`). */
  replayAnswers?: ReadonlyMap<string, RecordedAnswer>;
  now?: () => Date;
  /** A monotonic clock in ms for the run's deadline (tests); default performance.now. */
  clock?: () => number;
  /** Told about each call's end (the app logs it to stderr); never reaches a report. */
  onCall?: (event: { part: string; outcome: string; cacheHit: boolean; error?: string }) => void;
}

export function createLlmCaller(options: LlmCallerOptions): LlmCaller {
  const { config, model, store } = options;
  const now = options.now ?? (() => new Date());
  const stats: CallStats = {
    calls: 0,
    cacheHits: 0,
    replayed: 0,
    failures: 0,
    inputTokens: 0,
    outputTokens: 0,
    cost: 0,
  };
  const answers: RecordedAnswer[] = [];
  const base = { provider: config.provider, model: config.model, promptVersion: PROMPT_VERSION };

  async function reuse<T>(request: CallRequest<T>): Promise<T | undefined> {
    const recorded = options.replayAnswers?.get(request.key);
    const found = recorded ?? (await store.findLlmAnswer(request.key));
    if (!found) return undefined;
    let value: T;
    try {
      const parsed = request.schema.safeParse(JSON.parse(found.answer));
      if (!parsed.success) return undefined;
      value = parsed.data;
    } catch {
      return undefined;
    }
    if (recorded) stats.replayed++;
    else stats.cacheHits++;
    answers.push({ key: request.key, part: request.part, model: config.model, ...found });
    await store.recordLlmCall({
      ...base,
      ...(options.runId === undefined ? {} : { runId: options.runId }),
      cacheKey: request.key,
      part: request.part,
      startedAt: now().toISOString(),
      latencyMs: 0,
      inputTokens: found.inputTokens,
      outputTokens: found.outputTokens,
      cost: 0,
      cacheHit: true,
      outcome: 'ok',
      answer: found.answer,
    });
    options.onCall?.({ part: request.part, outcome: recorded ? 'replayed' : 'cached', cacheHit: true });
    return value;
  }

  const clock = options.clock ?? (() => performance.now());
  const deadlineAt = clock() + config.runDeadlineSeconds * 1000;
  const failures = new Map<string, CallFailure>();
  let failingInARow = 0;

  async function attempt<T>(request: CallRequest<T>): Promise<{ value?: T; retry: boolean; failure?: CallFailure }> {
    const deadline = AbortSignal.timeout(Math.max(1, Math.ceil(deadlineAt - clock())));
    const startedAt = now();
    const started = performance.now();
    const structured: StructuredRequest<T> = {
      system: request.system,
      prompt: request.prompt,
      schema: request.schema,
      name: request.name,
      maxOutputTokens: request.maxOutputTokens,
      temperature: config.temperature,
      stream: config.stream,
      provider: config.provider,
      abortSignal: deadline,
    };
    stats.calls++;
    const record = async (fields: {
      outcome: 'ok' | 'repaired' | 'invalid-output' | 'error';
      inputTokens: number;
      outputTokens: number;
      error?: string;
      answer?: string;
    }) => {
      const cost = costOf(fields, config.prices);
      stats.inputTokens += fields.inputTokens;
      stats.outputTokens += fields.outputTokens;
      stats.cost += cost;
      await store.recordLlmCall({
        ...base,
        ...(options.runId === undefined ? {} : { runId: options.runId }),
        cacheKey: request.key,
        part: request.part,
        startedAt: startedAt.toISOString(),
        latencyMs: performance.now() - started,
        cost,
        cacheHit: false,
        ...fields,
      });
      options.onCall?.({
        part: request.part,
        outcome: fields.outcome,
        cacheHit: false,
        ...(fields.error ? { error: fields.error } : {}),
      });
    };
    try {
      const result = await generateStructured(model, structured);
      if (result.ok) {
        const answer = JSON.stringify(result.value);
        await record({ outcome: result.repaired ? 'repaired' : 'ok', ...result.usage, answer });
        answers.push({ key: request.key, part: request.part, model: config.model, answer, ...result.usage });
        return { value: result.value, retry: false };
      }
      await record({ outcome: 'invalid-output', ...result.usage, error: result.message.slice(0, 300) });
      return { retry: true, failure: { cause: 'invalid-answer' } };
    } catch (error) {
      const failure: CallFailure = deadline.aborted ? { cause: 'deadline' } : failureOfError(error);
      await record({ outcome: 'error', inputTokens: 0, outputTokens: 0, error: errorMessage(error).slice(0, 300) });
      return { retry: false, failure };
    }
  }

  /** Why no call is made now, if none may be. */
  function refusal(): CallFailure | undefined {
    if (clock() >= deadlineAt) return { cause: 'deadline' };
    if (failingInARow >= FAILING_AFTER) return { cause: 'endpoint-failing' };
    return undefined;
  }

  return {
    promptVersion: PROMPT_VERSION,
    stats,
    answers,
    failureOf: (part) => failures.get(part),
    async call<T>(request: CallRequest<T>): Promise<T | undefined> {
      failures.delete(request.part);
      const reused = await reuse(request);
      if (reused !== undefined) return reused;
      const fail = (failure: CallFailure): undefined => {
        failures.set(request.part, failure);
        stats.failures++;
        return undefined;
      };
      const refused = refusal();
      if (refused) {
        options.onCall?.({ part: request.part, outcome: 'not-called', cacheHit: false, error: refused.cause });
        return fail(refused);
      }
      let result = await attempt(request);
      if (result.value === undefined && result.retry && refusal() === undefined) result = await attempt(request);
      if (result.value !== undefined) {
        failingInARow = 0;
        return result.value;
      }
      const failure = result.failure ?? { cause: 'not-an-answer' };
      if (endpointFailure(failure)) failingInARow++;
      else if (failure.cause !== 'deadline') failingInARow = 0;
      return fail(failure);
    },
  };
}

/** HTTP statuses that say the request itself was refused (too long, malformed): another part may fare better. */
const REQUEST_STATUSES = new Set([400, 413, 414, 422]);

/** A failure of the endpoint as a whole (it would fail the next call too), not of this one request or answer. */
function endpointFailure(failure: CallFailure): boolean {
  if (failure.cause === 'invalid-answer' || failure.cause === 'deadline') return false;
  return !(failure.cause === 'http-error' && failure.status !== undefined && REQUEST_STATUSES.has(failure.status));
}

/** The cause of a failed call, from the fetch layer's error (wherever the SDK wrapped it) or the SDK's. */
export function failureOfError(error: unknown): CallFailure {
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof LlmHttpError) {
      return current.status === undefined ? { cause: current.kind } : { cause: current.kind, status: current.status };
    }
    current = (current as { cause?: unknown }).cause;
  }
  if (APICallError.isInstance(error) && error.statusCode !== undefined && error.statusCode >= 400) {
    return { cause: 'http-error', status: error.statusCode };
  }
  // Anything else the SDK threw: the endpoint's body could not be read as an answer.
  return { cause: 'not-an-answer' };
}
