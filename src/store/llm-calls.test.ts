import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { type LlmCallRecord, Store } from './store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-llm-calls-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const call = (fields: Partial<LlmCallRecord>): LlmCallRecord => ({
  cacheKey: 'k1',
  part: 'story:s1',
  provider: 'openai',
  model: 'm',
  promptVersion: 'llm-1',
  startedAt: '2026-08-22T02:00:00.000Z',
  latencyMs: 12.6,
  inputTokens: 100,
  outputTokens: 20,
  cost: 0.001,
  cacheHit: false,
  outcome: 'ok',
  ...fields,
});

describe('llm_calls', () => {
  it('keeps every call and finds the latest good answer for a key, never a failure or a cache hit', async () => {
    const file = path.join(dir, 'store.db');
    const store = await Store.open(file);
    try {
      assert.equal(await store.findLlmAnswer('k1'), undefined);
      await store.recordLlmCall(call({ outcome: 'error', error: 'HTTP 500', inputTokens: 0, outputTokens: 0 }));
      await store.recordLlmCall(call({ outcome: 'invalid-output', answer: undefined }));
      assert.equal(await store.findLlmAnswer('k1'), undefined);
      await store.recordLlmCall(call({ answer: '{"a":1}' }));
      await store.recordLlmCall(call({ answer: '{"a":2}', outcome: 'repaired', inputTokens: 150 }));
      await store.recordLlmCall(call({ answer: '{"a":3}', cacheHit: true, cost: 0 }));
      assert.deepEqual(await store.findLlmAnswer('k1'), { answer: '{"a":2}', inputTokens: 150, outputTokens: 20 });
      assert.equal(await store.findLlmAnswer('k2'), undefined);
    } finally {
      await store.close();
    }
    // Reopened: the calls are still there, in order, with what each cost.
    const reopened = await Store.open(file);
    try {
      const calls = await reopened.llmCalls();
      assert.deepEqual(
        calls.map((c) => [c.outcome, c.cacheHit, c.latencyMs]),
        [
          ['error', false, 13],
          ['invalid-output', false, 13],
          ['ok', false, 13],
          ['repaired', false, 13],
          ['ok', true, 13],
        ],
      );
      assert.equal(calls[0]!.error, 'HTTP 500');
    } finally {
      await reopened.close();
    }
  });
});
