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

describe('Store.open with readOnly (the web app)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-store-read-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what another connection writes meanwhile (WAL), and refuses every write of its own', async () => {
    const file = path.join(dir, 'store.db');
    const writer = await Store.open(file);
    const reader = await Store.open(file, { readOnly: true });
    try {
      const source = { id: 'a', name: 'A', kind: 'feed', url: 'https://example.org/feed' } as never;
      await writer.upsertSources([source], new Date('2026-08-22T00:00:00Z'));
      assert.deepEqual(
        (await reader.sourceHealth()).map((s) => s.id),
        ['a'],
      );
      await assert.rejects(reader.upsertSources([source], new Date()), /readonly|read-only|query_only/i);
      await writer.upsertSources([{ ...(source as object), id: 'b' } as never], new Date('2026-08-22T00:00:00Z'));
      assert.equal((await reader.sourceHealth()).length, 2);
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
