import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dayFile } from '../../test/support/fixtures.js';
import { loadConfig } from '../config/load.js';
import { NothingToReportError } from '../core/errors.js';
import { silentLogger } from '../core/log.js';
import type { Story } from '../core/types.js';
import { createReplayTransport, loadRecordedDay } from '../http/replay.js';
import { Store } from '../store/store.js';
import type { RunContext } from './context.js';
import { asPublished, runDaily } from './daily-run.js';

describe('runDaily from the store (report): nothing fetched, so the network is never blamed', () => {
  let dir: string;
  let store: Store;
  let context: RunContext;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-app-'));
    store = await Store.open(path.join(dir, 'store.db'));
    const day = loadRecordedDay(dayFile('2026-08-22'));
    context = {
      config: loadConfig({ file: '/dev/null', cwd: dir, env: {} }),
      store,
      transport: createReplayTransport(day),
      now: new Date(day.now),
      timezone: 'Asia/Shanghai',
      replayed: false,
      log: silentLogger,
      cwd: dir,
    };
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an empty store says to collect first, not "is the network reachable?"', async () => {
    await assert.rejects(runDaily(context, { out: 'out' }), (error: unknown) => {
      assert.ok(error instanceof NothingToReportError);
      assert.doesNotMatch(error.message, /network/);
      assert.match(error.message, /nothing was collected .*run `ai-daily collect` or `ai-daily run` first/);
      return true;
    });
  });
});

describe('asPublished: the stories as the report shows them, for the store', () => {
  it('titles each story with its headline and orders the top stories first, then the sections, then the rest', () => {
    const story = (id: string, title: string) => ({ id, title }) as Story;
    const stories = [story('a', 'A repr'), story('b', 'B repr'), story('c', 'C repr'), story('d', 'D bare')];
    const report = {
      topStories: [{ storyId: 'c', title: 'C headline', line: { text: 'x', cites: [] } }],
      sections: [
        {
          section: 'llm' as const,
          heading: 'LLM',
          stories: [
            { id: 'b', title: 'B headline' },
            { id: 'c', title: 'C headline' },
          ],
        },
      ],
    } as unknown as Parameters<typeof asPublished>[1];
    assert.deepEqual(
      asPublished(stories, report).map((s) => [s.id, s.title]),
      [
        ['c', 'C headline'],
        ['b', 'B headline'],
        ['a', 'A repr'],
        ['d', 'D bare'],
      ],
    );
  });
});
