import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { type MockReply, type MockRequest, startMockLlmServer } from '../../../test/support/mock-llm-server.js';
import { llmSchema } from '../../config/schema.js';
import { createLanguageModel, generateStructured, repairJson } from './client.js';
import { createLlmFetch, LlmHttpError } from './llm-fetch.js';

const schema = z.object({ headline: z.object({ text: z.string(), cites: z.array(z.number().int()) }) });
const good = { headline: { text: 'OpenAI released GPT-5.', cites: [1] } };

/** The test's replies, consumed in order; the last one repeats. */
let replies: MockReply[] = [];
const server = await startMockLlmServer(
  (_request: MockRequest, index) => replies[Math.min(index, replies.length - 1)]!,
);
after(() => server.close());

function modelFor(provider: 'openai' | 'anthropic', overrides: Record<string, unknown> = {}) {
  const config = llmSchema.parse({
    provider,
    baseURL: server.baseURL,
    model: 'mock-model',
    apiKey: 'sk-test',
    ...overrides,
  });
  const waits: number[] = [];
  const fetch = createLlmFetch({
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    retryBaseMs: 1,
    retryAfterCapMs: config.retryAfterCapMs,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { config, model: createLanguageModel(config, fetch), waits };
}

async function ask(provider: 'openai' | 'anthropic', stream: boolean, overrides: Record<string, unknown> = {}) {
  const { config, model, waits } = modelFor(provider, overrides);
  const result = await generateStructured(model, {
    system: 'system text',
    prompt: 'Task: story',
    schema,
    name: 'story',
    maxOutputTokens: 200,
    temperature: 0,
    stream,
    provider: config.provider,
  });
  return { result, waits };
}

for (const provider of ['openai', 'anthropic'] as const) {
  for (const stream of [false, true]) {
    describe(`${provider} wire format, ${stream ? 'streaming' : 'plain'}`, () => {
      before(() => {
        server.requests.length = 0;
      });

      it('returns the validated object and the usage', async () => {
        replies = [{ kind: 'object', value: good, usage: { input: 321, output: 45 } }];
        const { result } = await ask(provider, stream);
        assert.equal(result.ok, true);
        if (!result.ok) return;
        assert.deepEqual(result.value, good);
        assert.deepEqual(result.usage, { inputTokens: 321, outputTokens: 45 });
        const sent = server.requests.at(-1)!;
        assert.equal(sent.wire, provider);
        assert.equal(sent.stream, stream);
        assert.equal(sent.system, 'system text');
        assert.match(sent.prompt, /Task: story/);
        if (provider === 'openai') {
          assert.equal(sent.headers.authorization, 'Bearer sk-test');
          const format = sent.body.response_format as { type: string };
          assert.equal(format.type, 'json_schema');
        } else {
          assert.equal(sent.headers['x-api-key'], 'sk-test');
          const tools = sent.body.tools as { name: string }[];
          assert.equal(tools[0]?.name, 'json');
        }
      });

      it('repairs an answer wrapped in a code fence and prose', async () => {
        replies = [{ kind: 'text', text: `Here you go:\n\`\`\`json\n${JSON.stringify(good)}\n\`\`\`\nDone.` }];
        const { result } = await ask(provider, stream);
        assert.equal(result.ok, true);
        if (result.ok) assert.deepEqual(result.value, good);
      });

      it('reports a truncated answer that cannot be repaired into the schema as invalid', async () => {
        replies = [{ kind: 'text', text: '{"headline": {"text": "OpenAI rel' }];
        const { result } = await ask(provider, stream);
        assert.equal(result.ok, false);
      });

      it('reports an answer that ignores the schema as invalid', async () => {
        replies = [{ kind: 'object', value: { title: 'something else', body: 'no cites' } }];
        const { result } = await ask(provider, stream);
        assert.equal(result.ok, false);
        if (!result.ok) assert.match(result.message, /schema|JSON/);
      });
    });
  }
}

describe('the LLM fetch policy', () => {
  it('retries a 429 after the Retry-After it was given, then succeeds', async () => {
    replies = [
      { kind: 'status', status: 429, headers: { 'retry-after': '3' } },
      { kind: 'object', value: good },
    ];
    server.requests.length = 0;
    const { result, waits } = await ask('openai', false);
    assert.equal(result.ok, true);
    assert.deepEqual(waits, [3000]);
    assert.equal(server.requests.length, 2);
  });

  it('fails at once when Retry-After is longer than allowed', async () => {
    replies = [{ kind: 'status', status: 429, headers: { 'retry-after': '3600' } }];
    server.requests.length = 0;
    await assert.rejects(() => ask('anthropic', false), /Retry-After/);
    assert.equal(server.requests.length, 1);
  });

  it('retries a 500 with backoff, then gives up naming the host and status', async () => {
    replies = [{ kind: 'status', status: 500 }];
    server.requests.length = 0;
    const { config } = modelFor('openai');
    await assert.rejects(
      () => ask('openai', false),
      (error: unknown) => {
        const text = String(error);
        assert.match(text, /HTTP 500/);
        assert.match(text, new RegExp(server.host.replace('.', '\\.')));
        assert.doesNotMatch(text, /sk-test/);
        return true;
      },
    );
    assert.equal(server.requests.length, config.retries + 1);
  });

  it('does not retry a 400 (the request itself is wrong)', async () => {
    replies = [{ kind: 'status', status: 400 }];
    server.requests.length = 0;
    await assert.rejects(() => ask('openai', false));
    assert.equal(server.requests.length, 1);
  });

  it('times out a server that never answers, on each attempt', async () => {
    replies = [{ kind: 'hang' }];
    server.requests.length = 0;
    await assert.rejects(() => ask('openai', true, { timeoutMs: 150, retries: 1 }), LlmHttpError);
    assert.equal(server.requests.length, 2);
  });

  it('checks the URL (network policy) before every attempt', async () => {
    const refused = createLlmFetch({
      timeoutMs: 1000,
      retries: 2,
      retryBaseMs: 1,
      retryAfterCapMs: 1000,
      checkUrl: (url) => {
        throw new Error(`refused ${new URL(url).host}`);
      },
    });
    server.requests.length = 0;
    await assert.rejects(
      () => refused(`${server.baseURL}/chat/completions`, { method: 'POST', body: '{}' }),
      /refused/,
    );
    assert.equal(server.requests.length, 0);
  });
});

describe('repairJson', () => {
  it('closes a document cut off after a complete member', () => {
    assert.deepEqual(repairJson('{"a": [1, 2, {"b": "c"}, {"d": "e'), { a: [1, 2, { b: 'c' }] });
  });
  it('gives up on text without an object', () => {
    assert.equal(repairJson('I cannot help with that.'), undefined);
  });
});
