import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Store } from './store.js';

const storeModule = path.join(path.dirname(fileURLToPath(import.meta.url)), 'store.ts');

/** Opens the store in a separate process, as a second `ai-daily run` would. */
function openInChild(file: string): Promise<{ code: number | null; stderr: string }> {
  const script = `const { Store } = await import(${JSON.stringify(storeModule)}); const s = await Store.open(${JSON.stringify(file)}); await s.close();`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('Store.open from several processes at once', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-store-open-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates a new store once: every process opens it, none fails on tables another created', async () => {
    const file = path.join(dir, 'new.db');
    const results = await Promise.all(Array.from({ length: 8 }, () => 0).map(() => openInChild(file)));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const store = await Store.open(file);
    try {
      assert.equal(await store.countItems([]), 0);
    } finally {
      await store.close();
    }
  });
});
