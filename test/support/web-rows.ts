/**
 * The web app's tests over a store they fill themselves: an item of the `news` source
 * (https://news.example/<id>), a published story of its items (`fields` changes what a test is
 * about: a story's section or keys), and the app served in this process over such a store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type RunningServer, startWebServer } from '../../src/app/serve.js';
import { silentLogger } from '../../src/core/log.js';
import type { Item, Story } from '../../src/core/types.js';

export function newsItem(id: string, title: string): Item {
  const url = `https://news.example/${id}`;
  return {
    id,
    sourceId: 'news',
    identity: `url:${id}`,
    url,
    canonicalUrl: url,
    title,
    text: `${title}.`,
    language: 'en',
    publishedAt: '2026-08-21T10:00:00.000Z',
    fetchedAt: '2026-08-22T02:00:00.000Z',
    authors: [],
    engagement: {},
    tags: [],
    externalIds: {},
  };
}

export function newsStory(id: string, title: string, itemIds: string[], fields: Partial<Story> = {}): Story {
  return {
    id,
    title,
    itemIds,
    sourceIds: ['news'],
    keys: ['k:zephyr'],
    section: 'llm',
    score: { recency: 0.5, authority: 0.4, coverage: 0, engagement: 0.2, relevance: 1, newsValue: 1, total: 0.5 },
    firstSeenAt: '2026-08-21T10:00:00.000Z',
    ...fields,
  };
}

/** The web app in this process over a temp folder: its config, a store a test filled, the server. */
export interface WebUnderTest {
  dir: string;
  server: RunningServer;
  /** Stops the server and removes the folder. */
  close(): Promise<void>;
}

/**
 * `ai-daily serve` in this process (port 0) over a new temp folder holding `config.yaml` (`config`)
 * and the store `./store.db`, which `fill` saves (it is given the store's file and the folder).
 */
export async function serveFilledStore(
  config: string,
  fill: (storeFile: string, dir: string) => Promise<void>,
): Promise<WebUnderTest> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-web-'));
  try {
    writeFileSync(path.join(dir, 'config.yaml'), config);
    await fill(path.join(dir, 'store.db'), dir);
    const server = await startWebServer({ cwd: dir, config: 'config.yaml', log: silentLogger, port: 0 });
    return {
      dir,
      server,
      close: async () => {
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
