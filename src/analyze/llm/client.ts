/**
 * Provider clients through the AI SDK: `openai` → any OpenAI-compatible chat-completions endpoint
 * (json_schema structured output), `anthropic` → any Anthropic-compatible messages endpoint (the
 * object comes back as the input of a forced `json` tool, which every compatible server supports).
 * One function, `generateStructured`, asks for a zod-validated object: an answer that is not valid
 * JSON for the schema is repaired when it can be (code fences, prose around it, a truncated tail),
 * else the caller retries once and then falls back.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, type LanguageModel, NoObjectGeneratedError, Output, streamText } from 'ai';
import type { z } from 'zod';
import type { LlmConfig } from '../../config/schema.js';
import type { FetchFunction } from './llm-fetch.js';

export function createLanguageModel(config: LlmConfig, fetch: FetchFunction): LanguageModel {
  if (config.provider === 'anthropic') {
    const provider = createAnthropic({
      baseURL: config.baseURL,
      // A local or keyless server still gets a header; an empty key is never sent as a real one.
      apiKey: config.apiKey ?? 'none',
      fetch,
    });
    return provider(config.model);
  }
  const provider = createOpenAICompatible({
    name: 'openai-compatible',
    baseURL: config.baseURL,
    ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
    fetch,
    supportsStructuredOutputs: true,
    includeUsage: true,
  });
  return provider.chatModel(config.model);
}

export interface StructuredRequest<T> {
  system: string;
  prompt: string;
  schema: z.ZodType<T>;
  /** Name of the object (a hint some providers pass on). */
  name: string;
  maxOutputTokens: number;
  temperature: number;
  stream: boolean;
  provider: LlmConfig['provider'];
  abortSignal?: AbortSignal;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export type StructuredResult<T> =
  | { ok: true; value: T; text: string; usage: Usage; repaired: boolean }
  | { ok: false; reason: 'invalid-output'; text: string; usage: Usage; message: string };

function usageOf(usage: { inputTokens?: number | undefined; outputTokens?: number | undefined } | undefined): Usage {
  return { inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0 };
}

/**
 * One model call for an object of `schema`. Throws on a transport or HTTP failure (after the
 * fetch layer's retries); returns `ok: false` when the answer is not an object of the schema even
 * after repair.
 */
export async function generateStructured<T>(
  model: LanguageModel,
  request: StructuredRequest<T>,
): Promise<StructuredResult<T>> {
  const common = {
    model,
    system: request.system,
    prompt: request.prompt,
    output: Output.object({ schema: request.schema, name: request.name }),
    maxOutputTokens: request.maxOutputTokens,
    temperature: request.temperature,
    maxRetries: 0,
    ...(request.abortSignal ? { abortSignal: request.abortSignal } : {}),
    ...(request.provider === 'anthropic'
      ? { providerOptions: { anthropic: { structuredOutputMode: 'jsonTool' as const } } }
      : {}),
  };
  try {
    if (request.stream) {
      let streamError: unknown;
      const result = streamText({
        ...common,
        onError: ({ error }) => {
          streamError = error;
        },
      });
      let text: string;
      try {
        text = await result.text;
      } catch (error) {
        // The stream's own failure (a timeout, an HTTP error) says more than "no output".
        throw streamError ?? error;
      }
      if (streamError) throw streamError;
      const usage = usageOf(await result.usage);
      let value: T;
      try {
        value = (await result.output) as T;
      } catch (error) {
        if (NoObjectGeneratedError.isInstance(error)) return repairOrFail(request.schema, text, usage, error.message);
        throw error;
      }
      return { ok: true, value, text, usage, repaired: false };
    }
    const result = await generateText(common);
    return { ok: true, value: result.output as T, text: result.text, usage: usageOf(result.usage), repaired: false };
  } catch (error) {
    if (NoObjectGeneratedError.isInstance(error)) {
      return repairOrFail(request.schema, error.text ?? '', usageOf(error.usage), error.message);
    }
    throw error;
  }
}

function repairOrFail<T>(schema: z.ZodType<T>, text: string, usage: Usage, message: string): StructuredResult<T> {
  const repaired = repairJson(text);
  if (repaired !== undefined) {
    const parsed = schema.safeParse(repaired);
    if (parsed.success) return { ok: true, value: parsed.data, text, usage, repaired: true };
    return {
      ok: false,
      reason: 'invalid-output',
      text,
      usage,
      message: `the answer does not fit the schema: ${parsed.error.issues[0]?.message ?? message}`,
    };
  }
  return { ok: false, reason: 'invalid-output', text, usage, message: `the answer is not JSON: ${message}` };
}

/**
 * Best effort: the JSON value inside `text` — without Markdown fences or prose around it, and with
 * a truncated tail closed (an unterminated string ended, open arrays and objects closed after the
 * last complete member). Undefined when nothing parses.
 */
export function repairJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)(?:```|$)/i.exec(text);
  const candidates = [text, fenced?.[1] ?? ''];
  for (const candidate of candidates) {
    const start = candidate.indexOf('{');
    if (start < 0) continue;
    const body = candidate.slice(start);
    const end = body.lastIndexOf('}');
    if (end >= 0) {
      try {
        return JSON.parse(body.slice(0, end + 1));
      } catch {
        // fall through to closing a truncated document
      }
    }
    const closed = closeTruncated(body);
    if (closed !== undefined) return closed;
  }
  return undefined;
}

/** Closes a JSON document cut off mid-way, keeping only complete members. */
function closeTruncated(body: string): unknown {
  // Walk the text, remembering where each complete member ended and which brackets were open then.
  const stack: string[] = [];
  let inString = false;
  let escaped = false;
  const cuts: { at: number; open: string[] }[] = [];
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = true;
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    else if (char === '{' || char === '[') stack.push(char === '{' ? '}' : ']');
    else if (char === '}' || char === ']') {
      stack.pop();
      if (stack.length === 0) break;
      cuts.push({ at: i + 1, open: [...stack] });
    } else if (char === ',') cuts.push({ at: i, open: [...stack] });
  }
  for (let index = cuts.length - 1; index >= 0; index--) {
    const cut = cuts[index]!;
    const attempt = body.slice(0, cut.at) + [...cut.open].reverse().join('');
    try {
      return JSON.parse(attempt);
    } catch {
      // try an earlier cut
    }
  }
  return undefined;
}
