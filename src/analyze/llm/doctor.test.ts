import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { type MockReply, startMockLlmServer } from '../../../test/support/mock-llm-server.js';
import { llmSchema } from '../../config/schema.js';
import { checkProvider } from './doctor.js';

let reply: MockReply = { kind: 'object', value: { status: 'ok', sum: 5 } };
const server = await startMockLlmServer(() => reply);
after(() => server.close());

const configFor = (provider: 'openai' | 'anthropic', baseURL = server.baseURL) =>
  llmSchema.parse({ provider, baseURL, model: 'mock-model', apiKey: 'sk-doctor-secret' });

describe('checkProvider (ai-daily doctor)', () => {
  for (const provider of ['openai', 'anthropic'] as const) {
    it(`passes every check against a working ${provider} endpoint, with one call`, async () => {
      reply = { kind: 'object', value: { status: 'ok', sum: 5 } };
      server.requests.length = 0;
      const result = await checkProvider(configFor(provider));
      assert.equal(result.ok, true, JSON.stringify(result.checks));
      assert.deepEqual(
        result.checks.map((c) => c.name),
        ['reachable', 'key', 'model', 'structured-output'],
      );
      assert.equal(server.requests.length, 1);
      assert.doesNotMatch(JSON.stringify(result), /sk-doctor-secret/);
    });
  }

  it('names a refused key', async () => {
    reply = { kind: 'status', status: 401 };
    const result = await checkProvider(configFor('openai'));
    assert.equal(result.ok, false);
    assert.match(result.checks.find((c) => c.name === 'key')!.detail, /llm\.apiKey/);
  });

  it('names a missing model', async () => {
    reply = { kind: 'status', status: 404 };
    const result = await checkProvider(configFor('anthropic'));
    assert.equal(result.ok, false);
    assert.match(result.checks.find((c) => c.name === 'model')!.detail, /llm\.model/);
  });

  it('fails structured output for a model that ignores the schema', async () => {
    reply = { kind: 'text', text: 'Sure! The sum is five.' };
    const result = await checkProvider(configFor('openai'));
    assert.equal(result.ok, false);
    assert.equal(result.checks.find((c) => c.name === 'structured-output')!.ok, false);
  });

  it('says the endpoint is unreachable when nothing listens', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const result = await checkProvider(configFor('openai', `http://127.0.0.1:${port}/v1`));
    assert.equal(result.ok, false);
    assert.equal(result.checks[0]!.name, 'reachable');
    assert.equal(result.checks[0]!.ok, false);
    assert.match(result.checks[0]!.detail, /llm\.baseURL/);
  });
});
