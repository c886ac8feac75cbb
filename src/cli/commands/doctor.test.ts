import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDoctor } from './doctor.js';

test('doctor names the demo sandbox: ok, or a warning that LLM reports will carry no demo', () => {
  const llm = { provider: 'openai', model: 'm', baseURL: 'http://127.0.0.1:9/v1', ok: true, checks: [] };
  const base = { llmConfigured: true, llm, publish: [], ok: true } as Parameters<typeof formatDoctor>[0];
  assert.match(
    formatDoctor({ ...base, demoSandbox: { ok: true, detail: 'bubblewrap runs /usr/bin/python3' } }),
    /^demo sandbox: ok — bubblewrap runs/m,
  );
  assert.match(
    formatDoctor({ ...base, demoSandbox: { ok: false, detail: 'no sandbox: bubblewrap (bwrap) is not installed' } }),
    /^demo sandbox: WARN — no sandbox: bubblewrap \(bwrap\) is not installed$/m,
  );
  assert.doesNotMatch(formatDoctor(base), /demo sandbox/);
});
