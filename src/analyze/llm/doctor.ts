/**
 * Checks an LLM provider with at most one small call: the endpoint answers (reachable), the key
 * is accepted, the model exists, and it returns an object of a tiny schema (structured output).
 * Every failure is a line saying which check failed and what to do; no key is ever printed.
 */
import { APICallError } from 'ai';
import { z } from 'zod';
import type { LlmConfig } from '../../config/schema.js';
import { errorMessage } from '../../core/errors.js';
import { createLanguageModel, generateStructured } from './client.js';
import { createLlmFetch, type FetchFunction, LlmHttpError } from './llm-fetch.js';

export interface DoctorCheck {
  name: 'reachable' | 'key' | 'model' | 'structured-output';
  ok: boolean;
  detail: string;
}

export interface DoctorResult {
  provider: string;
  baseURL: string;
  model: string;
  ok: boolean;
  checks: DoctorCheck[];
  usage?: { inputTokens: number; outputTokens: number };
}

const probeSchema = z.object({ status: z.string(), sum: z.number() });

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export async function checkProvider(
  config: LlmConfig,
  options: { fetch?: FetchFunction; checkUrl?: (url: string) => void } = {},
): Promise<DoctorResult> {
  const result: DoctorResult = {
    provider: config.provider,
    // Host only: a base URL may carry a key in its query.
    baseURL: hostOf(config.baseURL),
    model: config.model,
    ok: false,
    checks: [],
  };
  const add = (check: DoctorCheck) => result.checks.push(check);
  const fetch = createLlmFetch({
    timeoutMs: Math.min(config.timeoutMs, 60_000),
    retries: 0,
    retryBaseMs: 0,
    retryAfterCapMs: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.checkUrl ? { checkUrl: options.checkUrl } : {}),
  });
  const model = createLanguageModel(config, fetch);
  try {
    const answer = await generateStructured(model, {
      system: 'You are a health check. Answer with the JSON object asked for, nothing else.',
      prompt: 'Return {"status": "ok", "sum": <the sum of 2 and 3>}.',
      schema: probeSchema,
      name: 'health',
      maxOutputTokens: 60,
      temperature: 0,
      stream: config.stream,
      provider: config.provider,
    });
    add({ name: 'reachable', ok: true, detail: `${result.baseURL} answered` });
    add({ name: 'key', ok: true, detail: 'accepted' });
    add({ name: 'model', ok: true, detail: `${config.model} answered` });
    result.usage = answer.usage;
    if (answer.ok) {
      add({
        name: 'structured-output',
        ok: true,
        detail: `schema-valid object${answer.repaired ? ' (after repair)' : ''}`,
      });
    } else {
      add({
        name: 'structured-output',
        ok: false,
        detail: `${answer.message.slice(0, 200)} — the model or server does not follow a JSON schema; try another model or provider`,
      });
    }
  } catch (error) {
    const status =
      error instanceof LlmHttpError ? error.status : APICallError.isInstance(error) ? error.statusCode : undefined;
    if (status === undefined) {
      add({
        name: 'reachable',
        ok: false,
        detail: `${errorMessage(error).slice(0, 200)} — check llm.baseURL and the network`,
      });
    } else if (status === 401 || status === 403) {
      add({ name: 'reachable', ok: true, detail: `${result.baseURL} answered HTTP ${status}` });
      add({ name: 'key', ok: false, detail: `HTTP ${status}: the key was refused — check llm.apiKey` });
    } else if (status === 404) {
      add({ name: 'reachable', ok: true, detail: `${result.baseURL} answered HTTP 404` });
      add({
        name: 'model',
        ok: false,
        detail: `HTTP 404: no model "${config.model}" at this endpoint (or the base URL misses /v1) — check llm.model and llm.baseURL`,
      });
    } else {
      add({ name: 'reachable', ok: status < 500, detail: `HTTP ${status}: ${errorMessage(error).slice(0, 200)}` });
    }
  }
  result.ok = result.checks.length === 4 && result.checks.every((check) => check.ok);
  return result;
}
