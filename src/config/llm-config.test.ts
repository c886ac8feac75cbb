import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import { resolveConfig } from './load.js';

function problems(raw: unknown, env: Record<string, string> = {}): string[] {
  try {
    resolveConfig(raw, { env });
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  return [];
}

describe('the llm config section', () => {
  it('is absent by default (extractive only)', () => {
    assert.equal(resolveConfig({}, { env: {} }).llm, undefined);
  });

  it('reads a provider with its key from the environment and fills the defaults', () => {
    const config = resolveConfig(
      {
        llm: {
          provider: 'openai',
          baseURL: 'https://api.deepseek.com/v1',
          model: 'deepseek-chat',
          apiKey: '${DEEPSEEK_API_KEY}',
          prices: { inputPer1M: 0.27, outputPer1M: 1.1 },
        },
      },
      { env: { DEEPSEEK_API_KEY: 'sk-from-env' } },
    );
    assert.equal(config.llm?.apiKey, 'sk-from-env');
    assert.equal(config.llm?.storyInputTokens, 1500);
    assert.equal(config.llm?.retries, 2);
    assert.equal(config.llm?.prices.outputPer1M, 1.1);
  });

  it('names each bad field', () => {
    const found = problems({ llm: { provider: 'gemini', baseURL: 'ftp://x', model: '', timeoutMs: -1, extra: 1 } });
    for (const field of ['llm.provider', 'llm.baseURL', 'llm.model', 'llm.timeoutMs']) {
      assert.ok(
        found.some((p) => p.startsWith(field)),
        `${field} in ${found.join(' | ')}`,
      );
    }
    assert.ok(found.some((p) => p.includes('extra')));
  });

  it('llm.demo: on by default with the sandbox limits; bad values are named', () => {
    const llm = { provider: 'openai', baseURL: 'https://api.openai.com/v1', model: 'm' };
    const demo = resolveConfig({ llm }, { env: {} }).llm?.demo;
    assert.equal(demo?.enabled, true);
    assert.equal(demo?.attempts, 3);
    assert.equal(demo?.memoryMb, 512);
    assert.deepEqual(demo?.allowedModules, []);
    const found = problems({
      llm: { ...llm, demo: { attempts: 0, memoryMb: 1, allowedModules: ['os.path'], net: 1 } },
    });
    for (const field of ['llm.demo.attempts', 'llm.demo.memoryMb', 'llm.demo.allowedModules[0]']) {
      assert.ok(
        found.some((p) => p.startsWith(field)),
        `${field} in ${found.join(' | ')}`,
      );
    }
    assert.ok(found.some((p) => p.includes('net')));
    assert.equal(demo?.python, '/usr/bin/python3');
    assert.equal(demo?.bwrap, 'bwrap');
    const old = problems({ llm: { ...llm, demo: { unshare: 'unshare', python: 'python3' } } });
    assert.ok(
      old.some((p) => p.startsWith('llm.demo.unshare') && p.includes('bubblewrap now')),
      old.join(' | '),
    );
    assert.ok(
      old.some((p) => p.startsWith('llm.demo.python') && p.includes('under /usr')),
      old.join(' | '),
    );
  });

  it('names a missing key variable instead of sending an empty key', () => {
    const found = problems({
      llm: { provider: 'anthropic', baseURL: 'https://api.anthropic.com/v1', model: 'm', apiKey: '${NOPE_KEY}' },
    });
    assert.ok(
      found.some((p) => p.includes('NOPE_KEY')),
      found.join(' | '),
    );
  });
});
