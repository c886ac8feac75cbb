/**
 * Runs the real CLI (`bin/ai-daily.js run --replay`) on one day, in a fresh temporary working
 * folder, and reads back what it wrote. Used by the editorial benchmark (bench/editorial.ts and
 * test/e2e/editorial.test.ts) and the golden reports (test/e2e/golden.test.ts). Spawning the CLI,
 * not calling a function, keeps these checks on the path a user runs, whatever module it lives in.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { stringify as stringifyYaml } from 'yaml';
import type { Report } from '../../src/core/report.js';
import { Store, type StoreLocation } from '../../src/store/store.js';
import { realDir, repoRoot } from './fixtures.js';

const run = promisify(execFile);

/** One response of a day built from the shared captures: `capture` is a path under fixtures/real. */
export interface CaptureResponse {
  url: string;
  capture: string;
  status?: number;
  contentType: string;
  /**
   * Rebuild a JSON capture that its origin repository re-keyed (`{id: record, …}`) into the API's
   * own shape `{[wrapValuesIn]: [record, …]}`, written next to the day file (the capture is read,
   * never copied into the project).
   */
  wrapValuesIn?: string;
  /**
   * Read an RSS or Atom capture taken after the day as it stood at the day's `now`: entries dated
   * later (<pubDate>, <updated>, <published>, <dc:date>) are left out of the body written next to the
   * day file, as they had not been published yet.
   */
  asOfNow?: boolean;
}

/** A recorded day whose bodies are shared captures (never copied into the project). */
export interface CaptureDay {
  day: string;
  now: string;
  timezone?: string;
  responses: CaptureResponse[];
}

/**
 * The Chinese day: real captures of 量子位 and InfoQ 中文 (2026-09-22), replayed the next morning —
 * the e2e tests' day of Chinese sources (neither recorded day has one). `writeCaptureDay` writes it.
 */
export const CHINESE_DAY: CaptureDay = {
  day: '2026-09-23',
  now: '2026-09-23T02:00:00Z',
  timezone: 'Asia/Shanghai',
  responses: [
    {
      url: 'https://www.qbitai.com/feed',
      capture: 'rss/qbitai-zh_2026-09-22_transcribed.xml',
      contentType: 'application/rss+xml; charset=UTF-8',
    },
    {
      url: 'https://www.infoq.cn/feed',
      capture: 'rss/infoq-cn_2026-09-22_transcribed.xml',
      contentType: 'application/rss+xml',
    },
  ],
};

export interface ReplayRunOptions {
  /** A recorded day file (absolute), e.g. one of shared/fixtures/days. */
  recordedDayFile?: string;
  /** Or a day built from captures: written as day.json in the temporary folder. */
  day?: CaptureDay;
  /** Written as ai-daily.config.yaml; without it the defaults apply (the `ai` preset). */
  config?: Record<string, unknown> | null;
  lang?: 'zh' | 'en';
  /** Keep the temporary folder (for reading it after a failure). */
  keep?: boolean;
  /** The config's `store` section (a SQLite path absolute); default: a SQLite file in the temporary folder. */
  store?: StoreLocation;
}

/** An item the run stored, whether it reached the report or not. */
export interface StoredItem {
  url: string;
  canonicalUrl: string;
  title: string;
  publishedAt: string;
}

export interface ReplayRunResult {
  report: Report;
  /** The JSON report exactly as written. */
  jsonText: string;
  markdown: string;
  /** Everything the run stored (the whole captures, not only the window). */
  items: StoredItem[];
  /** stderr of the run (its log), for a failure message. */
  log: string;
}

/**
 * Writes a replay day whose `file` paths are relative to the day file (replay resolves them
 * against its folder), so the day reads the shared captures in place.
 */
export function writeCaptureDay(dir: string, day: CaptureDay): string {
  const file = path.join(dir, 'day.json');
  const responses = day.responses.map((response, index) => {
    let body = path.join(realDir, response.capture);
    if (response.wrapValuesIn !== undefined) {
      const keyed = JSON.parse(readFileSync(body, 'utf8')) as unknown;
      if (!keyed || typeof keyed !== 'object' || Array.isArray(keyed)) {
        throw new Error(`${response.capture}: wrapValuesIn needs a JSON object keyed by id`);
      }
      body = path.join(dir, `body-${index}.json`);
      writeFileSync(body, JSON.stringify({ [response.wrapValuesIn]: Object.values(keyed) }));
    } else if (response.asOfNow === true) {
      const text = readFileSync(body, 'utf8');
      body = path.join(dir, `body-${index}.xml`);
      writeFileSync(body, feedAsOf(text, Date.parse(day.now)));
    }
    return {
      url: response.url,
      file: path.relative(dir, body),
      status: response.status ?? 200,
      contentType: response.contentType,
    };
  });
  writeFileSync(file, JSON.stringify({ day: day.day, now: day.now, timezone: day.timezone, responses }, null, 2));
  return file;
}

/** A feed without the entries dated after `nowMs` (an entry without a readable date is kept). */
export function feedAsOf(xml: string, nowMs: number): string {
  return xml.replace(/<(item|entry)\b[\s\S]*?<\/\1>\s*/g, (entry) => {
    const date = /<(?:pubDate|published|updated|dc:date)>([^<]+)</.exec(entry)?.[1];
    const ms = date === undefined ? Number.NaN : Date.parse(date.trim());
    return ms > nowMs ? '' : entry;
  });
}

export async function runReplayDay(options: ReplayRunOptions): Promise<ReplayRunResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-replay-'));
  try {
    let dayFile: string;
    if (options.recordedDayFile) dayFile = options.recordedDayFile;
    else if (options.day) dayFile = writeCaptureDay(dir, options.day);
    else throw new Error('runReplayDay: give recordedDayFile or day');
    const config = { ...(options.config ?? {}), store: options.store ?? { path: './data/ai-daily.db' } };
    writeFileSync(path.join(dir, 'ai-daily.config.yaml'), stringifyYaml(config));

    const args = [path.join(repoRoot, 'bin/ai-daily.js'), 'run', '--replay', dayFile, '--out', 'out', '--json'];
    if (options.lang) args.push('--lang', options.lang);
    let stdout: string;
    let stderr: string;
    try {
      ({ stdout, stderr } = await run(process.execPath, args, {
        cwd: dir,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1' },
      }));
    } catch (error) {
      const failed = error as { stderr?: string; code?: number };
      throw new Error(`ai-daily run --replay ${dayFile} failed (exit ${failed.code}):\n${failed.stderr ?? ''}`);
    }
    const summary = JSON.parse(stdout) as { markdown: string; json: string };
    const jsonText = readFileSync(path.join(dir, 'out', summary.json), 'utf8');
    const markdown = readFileSync(path.join(dir, 'out', summary.markdown), 'utf8');
    const items = options.store ? await storedItemsOf(options.store) : storedItems(dir);
    return { report: JSON.parse(jsonText) as Report, jsonText, markdown, items, log: stderr };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

function storedItems(dir: string): StoredItem[] {
  const db = new Database(path.join(dir, 'data/ai-daily.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT url, canonical_url, title, published_at FROM items').all() as {
      url: string;
      canonical_url: string;
      title: string;
      published_at: string;
    }[];
    return rows.map((row) => ({
      url: row.url,
      canonicalUrl: row.canonical_url,
      title: row.title,
      publishedAt: row.published_at,
    }));
  } finally {
    db.close();
  }
}

/** What a run stored in the store the config named. */
async function storedItemsOf(location: StoreLocation): Promise<StoredItem[]> {
  const store = await Store.connect(location);
  try {
    const rows = await store.db.selectFrom('items').select(['url', 'canonical_url', 'title', 'published_at']).execute();
    return rows.map((row) => ({
      url: row.url,
      canonicalUrl: row.canonical_url,
      title: row.title,
      publishedAt: row.published_at,
    }));
  } finally {
    await store.close();
  }
}
