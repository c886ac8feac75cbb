/**
 * Replays a recorded day (the format of fixtures/days/README.md, also written by ./record.ts):
 * every request is answered from a file, so the whole pipeline runs as if it were that morning.
 *
 * Matching: a response whose `url` equals the request's; failing that, the first one listed with the
 * same scheme, host and path (query ignored). When several responses share the exact URL, successive
 * requests get them in order and the last one repeats (a recorded 503 then 200 replays as such).
 * A request that matches nothing fails with FetchError 'unavailable', as a network error would.
 */
import { constants, readFileSync, statSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { FetchError } from '../core/errors.js';
import { describeUrl } from './fetcher.js';
import type { Transport, TransportResponse } from './types.js';

const recordedResponseSchema = z.object({
  url: z.string().min(1),
  /** Body file, relative to the day file (an absolute path is refused: a day names only its own files). */
  file: z
    .string()
    .min(1)
    .refine((file) => !path.isAbsolute(file) && !/^[A-Za-z]:[\\/]/.test(file) && !file.startsWith('\\'), {
      message: 'must be a path relative to the day file, not an absolute path',
    })
    .refine((file) => !file.includes('\0'), { message: 'must not contain a NUL character' }),
  status: z.number().int().min(100).max(599).default(200),
  contentType: z.string().optional(),
  headers: z.record(z.string(), z.string()).default({}),
});

const recordedDaySchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
  now: z.iso.datetime({ offset: true }),
  timezone: z.string().optional(),
  note: z.string().optional(),
  responses: z.array(recordedResponseSchema),
});

export interface RecordedResponse {
  url: string;
  /** The body file as written in the day file. */
  file: string;
  /** The body file, absolute. */
  path: string;
  status: number;
  contentType?: string;
  /** Extra response headers as recorded. */
  headers: Record<string, string>;
}

export interface RecordedDay {
  /** The report date, YYYY-MM-DD. */
  day: string;
  /** The moment the run happens (ISO 8601). */
  now: string;
  timezone?: string;
  note?: string;
  /** The day file, absolute. */
  file: string;
  responses: RecordedResponse[];
}

/** A day file is JSON that lists responses; anything larger than this is not one. */
export const MAX_DAY_FILE_BYTES = 64 * 1024 * 1024;

/** Reads and checks a recorded day file; body paths are resolved against its folder. */
export function loadRecordedDay(file: string): RecordedDay {
  const absolute = path.resolve(file);
  let json: unknown;
  try {
    const info = statSync(absolute);
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > MAX_DAY_FILE_BYTES) throw new Error(`${info.size} bytes is over the cap of ${MAX_DAY_FILE_BYTES}`);
    json = JSON.parse(readFileSync(absolute, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read recorded day ${absolute}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = recordedDaySchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`invalid recorded day ${absolute}:\n  ${problems.join('\n  ')}`);
  }
  const folder = path.dirname(absolute);
  return {
    day: parsed.data.day,
    now: parsed.data.now,
    timezone: parsed.data.timezone,
    note: parsed.data.note,
    file: absolute,
    responses: parsed.data.responses.map((response) => ({
      url: response.url,
      file: response.file,
      path: path.resolve(folder, response.file),
      status: response.status,
      contentType: response.contentType,
      headers: response.headers,
    })),
  };
}

export interface ReplayOptions {
  /** Simulated network latency before each response (benchmarks). */
  latencyMs?: number;
  /** Bytes per body chunk (default 64 KiB). */
  chunkBytes?: number;
  /**
   * Cap on a body's bytes, as `http.maxBytes` caps the network (default 10 MiB): a larger body
   * file fails with 'too-large' before it is read, and a body is never read past the cap.
   */
  maxBytes?: number;
}

function withoutQuery(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return undefined;
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A Transport that answers from a recorded day. */
export function createReplayTransport(day: RecordedDay, options: ReplayOptions = {}): Transport {
  const chunkBytes = options.chunkBytes ?? 64 * 1024;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const exact = new Map<string, RecordedResponse[]>();
  const byPath = new Map<string, RecordedResponse>();
  for (const response of day.responses) {
    const list = exact.get(response.url) ?? [];
    list.push(response);
    exact.set(response.url, list);
    const key = withoutQuery(response.url);
    if (key !== undefined && !byPath.has(key)) byPath.set(key, response);
  }
  const served = new Map<string, number>();

  function match(url: string): RecordedResponse | undefined {
    const candidates = exact.get(url);
    if (candidates && candidates.length > 0) {
      const count = served.get(url) ?? 0;
      served.set(url, count + 1);
      return candidates[Math.min(count, candidates.length - 1)];
    }
    const key = withoutQuery(url);
    return key === undefined ? undefined : byPath.get(key);
  }

  return async (request): Promise<TransportResponse> => {
    if (options.latencyMs) await delay(options.latencyMs, request.signal);
    const recorded = match(request.url);
    if (!recorded) {
      throw new FetchError('unavailable', `no recorded response for ${request.url}`, { url: request.url });
    }
    await checkBodyFile(recorded, request.url, maxBytes);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(recorded.headers)) headers[name.toLowerCase()] = value;
    if (recorded.contentType !== undefined) headers['content-type'] = recorded.contentType;
    const body = () => readBodyFile(recorded, request.url, { chunkBytes, maxBytes });
    return { status: recorded.status, headers, body: body() };
  };
}

function unreadable(recorded: RecordedResponse, url: string, reason: string, cause?: unknown): FetchError {
  return new FetchError('unavailable', `${describeUrl(url)}: recorded body ${recorded.file} ${reason}`, { url, cause });
}

/** Only a regular file within the cap is a body: never a device, FIFO, socket or folder. */
async function checkBodyFile(recorded: RecordedResponse, url: string, maxBytes: number): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(recorded.path);
  } catch (error) {
    throw unreadable(recorded, url, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  if (!info.isFile()) throw unreadable(recorded, url, 'is not a regular file');
  if (info.size > maxBytes) {
    throw new FetchError(
      'too-large',
      `${describeUrl(url)}: recorded body ${recorded.file} is ${info.size} bytes, over the cap of ${maxBytes} bytes (http.maxBytes)`,
      { url },
    );
  }
}

/**
 * Streams a body file in chunks, opened only when the body is read (so that a body never read
 * holds no file) and checked again once open, since the file may have changed since `stat`.
 * Reads stop one byte past the cap: the fetcher then fails with 'too-large'.
 */
async function* readBodyFile(
  recorded: RecordedResponse,
  url: string,
  options: { chunkBytes: number; maxBytes: number },
): AsyncGenerator<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
    handle = await open(recorded.path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw unreadable(recorded, url, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, error);
  }
  try {
    if (!(await handle.stat()).isFile()) throw unreadable(recorded, url, 'is not a regular file');
    let total = 0;
    while (total <= options.maxBytes) {
      const buffer = Buffer.alloc(Math.min(options.chunkBytes, options.maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
      if (bytesRead === 0) return;
      total += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
