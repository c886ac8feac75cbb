/**
 * An endpoint that misbehaves — never answers, answers headers and then nothing, streams without
 * end, answers 10 MB or a web page — over real loopback HTTP: every call ends within the
 * configured limits (one clock per attempt over headers and body, bounded retries), says why,
 * and a run stops asking once the endpoint keeps failing or the run's deadline has passed.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { z } from 'zod';
import { buildInput } from '../../../test/fixtures/report/build-input.js';
import { llmSchema } from '../../config/schema.js';
import { analyzeWithLlm } from './analyzer.js';
import { type CallRequest, createLlmCaller } from './caller.js';
import { createLanguageModel } from './client.js';
import { createLlmFetch } from './llm-fetch.js';

type Behaviour = (request: IncomingMessage, response: ServerResponse) => void;

/** A loopback server that answers every POST with `behaviour`, counting requests. */
async function endpoint(behaviour: Behaviour) {
  const open = new Set<ServerResponse>();
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests++;
      open.add(response);
      response.on('close', () => open.delete(response));
      behaviour(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    async close() {
      for (const response of open) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const timers: ReturnType<typeof setInterval>[] = [];
after(() => {
  for (const timer of timers) clearInterval(timer);
});

const BEHAVIOURS: Record<string, { behaviour: Behaviour; stream: boolean; cause: string; retried: boolean }> = {
  'accepts the connection and never answers': { behaviour: () => {}, stream: false, cause: 'timeout', retried: true },
  'sends headers and then nothing': {
    behaviour: (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.flushHeaders();
    },
    stream: false,
    cause: 'timeout',
    retried: false,
  },
  'streams without end, slowly': {
    behaviour: (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = {
        id: 'c',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [{ index: 0, delta: { content: ' ' }, finish_reason: null }],
      };
      const timer = setInterval(() => response.write(`data: ${JSON.stringify(chunk)}\n\n`), 20);
      timers.push(timer);
      response.on('close', () => clearInterval(timer));
    },
    stream: true,
    cause: 'timeout',
    retried: false,
  },
  'answers 10 MB': {
    behaviour: (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const piece = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const more = () => {
        while (sent < 10 * 1024 * 1024) {
          sent += piece.length;
          if (!response.write(piece)) return void response.once('drain', more);
        }
        response.end();
      };
      more();
    },
    stream: false,
    cause: 'too-large',
    retried: false,
  },
  'answers a web page with 200': {
    behaviour: (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<!doctype html><html><body><h1>Sign in</h1></body></html>');
    },
    stream: false,
    cause: 'not-an-answer',
    retried: false,
  },
  'answers a 502 web page': {
    behaviour: (_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
    },
    stream: false,
    cause: 'http-error',
    retried: true,
  },
};

const TIMEOUT_MS = 400;
const RETRIES = 1;
/** Far above what the limits allow ((retries + 1) × timeout plus a little backoff), far below a hang. */
const BOUND_MS = 5 * TIMEOUT_MS * (RETRIES + 1);

function callerFor(baseURL: string, overrides: Record<string, unknown> = {}) {
  const config = llmSchema.parse({
    provider: 'openai',
    baseURL,
    model: 'm',
    timeoutMs: TIMEOUT_MS,
    retries: RETRIES,
    retryBaseMs: 1,
    ...overrides,
  });
  const fetch = createLlmFetch({
    timeoutMs: config.timeoutMs,
    retries: config.retries,
    retryBaseMs: config.retryBaseMs,
    retryAfterCapMs: config.retryAfterCapMs,
  });
  const caller = createLlmCaller({
    config,
    model: createLanguageModel(config, fetch),
    store: { findLlmAnswer: async () => undefined, recordLlmCall: async () => {} },
  });
  return { config, caller };
}

const request: CallRequest<{ headline: string }> = {
  part: 'story:s1',
  key: 'k',
  schema: z.object({ headline: z.string() }),
  name: 'story',
  system: 'system',
  prompt: 'Task: story',
  maxOutputTokens: 100,
};

describe('an endpoint that misbehaves', () => {
  for (const [name, { behaviour, stream, cause, retried }] of Object.entries(BEHAVIOURS)) {
    it(`${name}: the call ends within its limits and says why (${cause})`, async () => {
      const server = await endpoint(behaviour);
      try {
        const { caller } = callerFor(server.baseURL, { stream });
        const started = performance.now();
        const answer = await caller.call(request);
        const elapsed = performance.now() - started;
        assert.equal(answer, undefined);
        assert.equal(caller.failureOf?.('story:s1')?.cause, cause);
        assert.equal(server.requests, retried ? RETRIES + 1 : 1);
        assert.ok(elapsed < BOUND_MS, `${Math.round(elapsed)} ms`);
      } finally {
        await server.close();
      }
    });
  }
});

describe('an endpoint that keeps failing', () => {
  const status = (code: number) => (_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(code, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: `status ${code}` } }));
  };
  const threeParts = async (code: number) => {
    const server = await endpoint(status(code));
    try {
      const { caller } = callerFor(server.baseURL, { retries: 0 });
      for (const part of ['story:a', 'story:b', 'story:c']) await caller.call({ ...request, part });
      return { requests: server.requests, causes: ['story:a', 'story:b', 'story:c'].map((p) => caller.failureOf?.(p)) };
    } finally {
      await server.close();
    }
  };

  it('is not asked again after two calls in a row failed at the endpoint', async () => {
    const { requests, causes } = await threeParts(500);
    assert.equal(requests, 2);
    assert.deepEqual(causes, [
      { cause: 'http-error', status: 500 },
      { cause: 'http-error', status: 500 },
      { cause: 'endpoint-failing' },
    ]);
  });

  it('a request it refuses (400: too long, malformed) does not stop the others', async () => {
    const { requests, causes } = await threeParts(400);
    assert.equal(requests, 3);
    assert.ok(causes.every((cause) => cause?.cause === 'http-error' && cause.status === 400));
  });
});

describe('a run against a failing endpoint', () => {
  it('stops asking once calls keep failing: every piece says why, none counts as the model’s', async () => {
    const server = await endpoint(() => {});
    try {
      const { config, caller } = callerFor(server.baseURL, { retries: 0, concurrency: 2 });
      const { input } = buildInput('en');
      const started = performance.now();
      const report = await analyzeWithLlm(input, { config, caller, topStories: 6 });
      const elapsed = performance.now() - started;
      const llm = report.llm!;
      // Two calls in flight, and at most one more started before the second failure: then no more.
      assert.ok(server.requests <= 2 * config.concurrency, `${server.requests} requests`);
      assert.ok(elapsed < 5 * TIMEOUT_MS * 2, `${Math.round(elapsed)} ms`);
      assert.equal(llm.storiesWritten, 0);
      assert.ok(llm.pieces.length > 0);
      assert.ok(llm.pieces.every((piece) => piece.writtenBy !== 'model'));
      const causes = new Set(llm.pieces.map((piece) => piece.cause));
      assert.ok(causes.has('timeout') && causes.has('endpoint-failing'), [...causes].join());
      assert.ok([...causes].every((cause) => cause === 'timeout' || cause === 'endpoint-failing'));
      assert.equal(llm.verification.storySummaries.fallbacks, llm.verification.storySummaries.units);
    } finally {
      await server.close();
    }
  });

  it('ends at the run’s deadline: calls in flight are stopped and no call starts after it', async () => {
    const server = await endpoint(() => {});
    try {
      const { config, caller } = callerFor(server.baseURL, {
        retries: 0,
        timeoutMs: 60_000,
        runDeadlineSeconds: 1,
        concurrency: 3,
      });
      const { input } = buildInput('en');
      const started = performance.now();
      const report = await analyzeWithLlm(input, { config, caller, topStories: 6 });
      const elapsed = performance.now() - started;
      assert.equal(server.requests, 3);
      assert.ok(elapsed < 5_000, `${Math.round(elapsed)} ms`);
      const causes = new Set(report.llm!.pieces.map((piece) => piece.cause));
      assert.deepEqual([...causes], ['deadline']);
      assert.deepEqual(report.demoAbsence, { reason: 'no-answer', attempts: 0, cause: 'deadline' });
    } finally {
      await server.close();
    }
  });
});
