/**
 * Records a live run as a replayable day (the format ./replay.ts reads): every hop's status, a few
 * useful headers and the body bytes exactly as they came off the wire (still compressed, so the
 * fetcher's decompression is replayed too). Nothing is written until `finish()`, which writes the
 * body files and then `day.json` last, through a temporary name, so a half-written day never exists.
 *
 * A body the fetcher stopped reading (too large, timed out) is recorded as far as it was read.
 * Request headers (tokens) are never recorded; URLs are recorded as requested.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describeFsError } from '../core/errors.js';
import { makeFolder } from '../core/make-folder.js';
import { redact } from '../core/redact.js';
import { localDate } from '../core/time.js';
import type { Transport, TransportResponse } from './types.js';

/** Response headers worth replaying; everything else (cookies, dates, hop-by-hop) is dropped. */
const RECORDED_HEADERS = ['location', 'content-encoding', 'etag', 'last-modified', 'retry-after', 'cache-control'];

export interface RecordingOptions {
  /** Report date to write; default: the date of the first request in `timezone`. */
  day?: string;
  /** Default Asia/Shanghai. */
  timezone?: string;
  /** Clock (tests). */
  now?: () => Date;
}

export interface RecordingTransport {
  transport: Transport;
  /** Where `finish()` writes the day: `<dir>/day.json`. */
  dayFile: string;
  /** Writes `<dir>/bodies/NNN-<host>.bin`, then `<dir>/day.json`. */
  finish(): Promise<void>;
}

interface Entry {
  url: string;
  status: number;
  contentType?: string;
  headers: Record<string, string>;
  chunks: Uint8Array[];
}

function safeHost(url: string): string {
  try {
    return new URL(url).host.replace(/[^a-zA-Z0-9.-]/g, '_') || 'host';
  } catch {
    return 'host';
  }
}

/**
 * Why `dir` cannot take a recording, checked before anything is fetched (a live collect takes
 * minutes, and the recording is written only at its end): a file in the way, a recorded day
 * already there (never overwritten), or a folder that cannot be made or written. Undefined: fine.
 */
export function recordFolderProblem(dir: string): string | undefined {
  const info = statSync(dir, { throwIfNoEntry: false });
  if (info && !info.isDirectory()) return `${dir} is a file, not a folder: name a new or empty folder`;
  if (existsSync(path.join(dir, 'day.json'))) {
    return `${dir} already holds a recorded day (day.json), which is never overwritten: name another folder, or move it aside`;
  }
  const probe = path.join(dir, `.ai-daily-probe-${randomBytes(6).toString('hex')}`);
  try {
    makeFolder(dir);
    writeFileSync(probe, 'probe');
  } catch (error) {
    return `cannot write into ${dir}: ${describeFsError(error)}`;
  } finally {
    rmSync(probe, { force: true });
  }
  return undefined;
}

export function createRecordingTransport(
  inner: Transport,
  dir: string,
  options: RecordingOptions = {},
): RecordingTransport {
  const timezone = options.timezone ?? 'Asia/Shanghai';
  const clock = options.now ?? (() => new Date());
  const entries: Entry[] = [];
  let firstRequestAt: Date | undefined;

  const transport: Transport = async (request) => {
    firstRequestAt ??= clock();
    const response = await inner(request);
    const headers: Record<string, string> = {};
    for (const name of RECORDED_HEADERS) {
      const value = response.headers[name];
      // A Location may carry the key of the request's query on to the next hop.
      if (value !== undefined) headers[name] = redact(value);
    }
    // Secrets from the config are not written; replay finds such a URL by host and path.
    const entry: Entry = {
      url: redact(request.url),
      status: response.status,
      contentType: response.headers['content-type'],
      headers,
      chunks: [],
    };
    entries.push(entry);
    const innerBody = response.body;
    const body: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]() {
        const inner = innerBody[Symbol.asyncIterator]();
        return {
          async next(): Promise<IteratorResult<Uint8Array>> {
            const next = await inner.next();
            if (!next.done) entry.chunks.push(Uint8Array.from(next.value));
            return next;
          },
          // Passed on even before the first read, so the inner transport can release its socket.
          async return(): Promise<IteratorResult<Uint8Array>> {
            await inner.return?.();
            return { done: true, value: undefined };
          },
        };
      },
    };
    const recorded: TransportResponse = { status: response.status, headers: response.headers, body };
    return recorded;
  };

  const dayFile = path.join(dir, 'day.json');

  async function finish(): Promise<void> {
    const started = firstRequestAt ?? clock();
    const bodiesDir = path.join(dir, 'bodies');
    await mkdir(bodiesDir, { recursive: true });
    const responses = [];
    for (const [index, entry] of entries.entries()) {
      const name = `${String(index + 1).padStart(3, '0')}-${safeHost(entry.url)}.bin`;
      const target = path.join(bodiesDir, name);
      await writeFile(`${target}.tmp`, Buffer.concat(entry.chunks));
      await rename(`${target}.tmp`, target);
      responses.push({
        url: entry.url,
        file: `bodies/${name}`,
        status: entry.status,
        ...(entry.contentType === undefined ? {} : { contentType: entry.contentType }),
        headers: entry.headers,
      });
    }
    const day = {
      day: options.day ?? localDate(started, timezone),
      now: started.toISOString(),
      timezone,
      note: 'Recorded by ai-daily --record.',
      responses,
    };
    await writeFile(`${dayFile}.tmp`, `${JSON.stringify(day, null, 2)}\n`);
    await rename(`${dayFile}.tmp`, dayFile);
  }

  return { transport, dayFile, finish };
}
