/**
 * Replays a recorded day (the format of fixtures/days/README.md, also written by ./record.ts):
 * every request is answered from a file, so the whole pipeline runs as if it were that morning.
 *
 * Matching: a response whose `url` equals the request's; failing that, the first one listed with the
 * same scheme, host and path (query ignored). When several responses share the exact URL, successive
 * requests get them in order and the last one repeats (a recorded 503 then 200 replays as such).
 * A request that matches nothing fails with FetchError 'unavailable', as a network error would.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { FetchError } from '../core/errors.js';
import { describeUrl } from './fetcher.js';
import type { Transport, TransportResponse } from './types.js';

const recordedResponseSchema = z.object({
  url: z.string().min(1),
  /** Body file, relative to the day file. */
  file: z.string().min(1),
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

/** Reads and checks a recorded day file; body paths are resolved against its folder. */
export function loadRecordedDay(file: string): RecordedDay {
  const absolute = path.resolve(file);
  let json: unknown;
  try {
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
    let bytes: Buffer;
    try {
      bytes = await readFile(recorded.path);
    } catch (error) {
      throw new FetchError(
        'unavailable',
        `${describeUrl(request.url)}: recorded body ${recorded.file} cannot be read`,
        {
          url: request.url,
          cause: error,
        },
      );
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(recorded.headers)) headers[name.toLowerCase()] = value;
    if (recorded.contentType !== undefined) headers['content-type'] = recorded.contentType;
    async function* body(): AsyncGenerator<Uint8Array> {
      for (let offset = 0; offset < bytes.byteLength; offset += chunkBytes) {
        yield bytes.subarray(offset, offset + chunkBytes);
      }
    }
    return { status: recorded.status, headers, body: body() };
  };
}
