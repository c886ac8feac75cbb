/**
 * One row per LLM call or cache hit: what it cost and how it ended; a good answer is reused by a
 * later call with the same cache key.
 */
import type { Kysely } from 'kysely';
import type { LlmCallRecord } from '../core/run.js';
import type { Database } from './schema.js';

export async function findLlmAnswer(
  db: Kysely<Database>,
  cacheKey: string,
): Promise<{ answer: string; inputTokens: number; outputTokens: number } | undefined> {
  const row = await db
    .selectFrom('llm_calls')
    .select(['answer', 'input_tokens', 'output_tokens'])
    .where('cache_key', '=', cacheKey)
    .where('outcome', 'in', ['ok', 'repaired'])
    .where('cache_hit', '=', 0)
    .where('answer', 'is not', null)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || row.answer === null) return undefined;
  return { answer: row.answer, inputTokens: row.input_tokens, outputTokens: row.output_tokens };
}

export async function recordLlmCall(db: Kysely<Database>, call: LlmCallRecord): Promise<void> {
  await db
    .insertInto('llm_calls')
    .values({
      run_id: call.runId ?? null,
      cache_key: call.cacheKey,
      part: call.part,
      provider: call.provider,
      model: call.model,
      prompt_version: call.promptVersion,
      started_at: call.startedAt,
      latency_ms: Math.round(call.latencyMs),
      input_tokens: call.inputTokens,
      output_tokens: call.outputTokens,
      cost: call.cost,
      cache_hit: call.cacheHit ? 1 : 0,
      outcome: call.outcome,
      error: call.error ?? null,
      answer: call.answer ?? null,
    })
    .execute();
}

export async function llmCalls(db: Kysely<Database>, since?: string): Promise<LlmCallRecord[]> {
  let query = db.selectFrom('llm_calls').selectAll().orderBy('id', 'asc');
  if (since !== undefined) query = query.where('started_at', '>=', since);
  const rows = await query.execute();
  return rows.map((r) => ({
    ...(r.run_id === null ? {} : { runId: r.run_id }),
    cacheKey: r.cache_key,
    part: r.part,
    provider: r.provider,
    model: r.model,
    promptVersion: r.prompt_version,
    startedAt: r.started_at,
    latencyMs: r.latency_ms,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    cost: r.cost,
    cacheHit: r.cache_hit === 1,
    outcome: r.outcome as LlmCallRecord['outcome'],
    ...(r.error === null ? {} : { error: r.error }),
    ...(r.answer === null ? {} : { answer: r.answer }),
  }));
}
