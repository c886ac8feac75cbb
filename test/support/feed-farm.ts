/**
 * Many feed sources for the collection workers' tests and benchmark: `count` RSS feeds of a few
 * items each (dated before `now`), served by a loopback HTTP server with a simulated latency, some
 * answering 500, some never answering (a timeout), or written as a recorded day for `--replay`.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';

const LABS = ['Aurora Labs', 'Basalt AI', 'Cinder Research', 'Delta Robotics', 'Ember Systems', 'Fjord Institute'];
const THINGS = [
  'an open-weight language model for code',
  'a speech recognition model for meetings',
  'a benchmark for agent planning',
  'a vision model for medical scans',
  'an inference engine for small GPUs',
  'a dataset of annotated math proofs',
  'a reasoning model for spreadsheets',
  'a robot policy trained in simulation',
];

export interface FarmItem {
  guid: string;
  title: string;
  link: string;
  description: string;
  published: Date;
}

/** The source id of feed `n` (000, 001, …). */
export function farmSourceId(n: number): string {
  return `feed-${String(n).padStart(3, '0')}`;
}

/** The items of feed `n`: 2 or 3, published in the hours before `now`, distinct across feeds. */
export function farmItems(n: number, now: Date): FarmItem[] {
  const count = 2 + (n % 2);
  return Array.from({ length: count }, (_, k) => {
    const lab = LABS[(n + k) % LABS.length]!;
    const thing = THINGS[(n * 3 + k) % THINGS.length]!;
    const version = `${1 + (n % 9)}.${k}-${n}`;
    return {
      guid: `urn:farm:${n}:${k}`,
      title: `${lab} releases ${thing}, version ${version}`,
      link: `https://farm${n}.example/posts/${k}`,
      description:
        `${lab} released ${thing} in version ${version}. The model was trained on ${100 + n * 7 + k} billion tokens ` +
        `and scores ${50 + ((n + k) % 40)} percent on the team's own evaluation. The weights are available for research use.`,
      published: new Date(now.getTime() - (1 + ((n * 7 + k * 3) % 30)) * 3_600_000),
    };
  });
}

/** Feed `n` as RSS 2.0. */
export function farmFeed(n: number, now: Date): string {
  const items = farmItems(n, now)
    .map(
      (item) =>
        `<item><guid isPermaLink="false">${item.guid}</guid><title>${item.title}</title><link>${item.link}</link>` +
        `<description>${item.description}</description><pubDate>${item.published.toUTCString()}</pubDate></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Farm feed ${n}</title><link>https://farm${n}.example/</link><description>Feed ${n}</description>${items}</channel></rss>`;
}

export interface FarmOptions {
  count: number;
  /** Feeds that answer HTTP 500. */
  failing?: ReadonlySet<number>;
  /** Feeds that never answer (the client times out). */
  hanging?: ReadonlySet<number>;
  /** Simulated latency of feed `n`, ms. */
  latencyMs?: (n: number) => number;
  /** Feed `n`'s first request waits this long before answering (a worker can be killed meanwhile). */
  slowFirst?: { n: number; ms: number };
}

export interface FeedFarm {
  origin: string;
  host: string;
  url(n: number): string;
  /** Requests received per feed. */
  requests: Map<number, number>;
  /**
   * The most requests the server was answering at once. A request stops counting when the server
   * answers it or its client goes away; a client that went away no later than a new request
   * arrived (seen by the next turn of the event loop) does not count against that request.
   */
  maxInFlight: number;
  /** Resolves when feed `n` has been asked for `times` times. */
  requested(n: number, times?: number): Promise<void>;
  close(): Promise<void>;
}

/** A loopback HTTP server of `count` feeds whose items are dated before `now`. */
export async function startFeedFarm(now: Date, options: FarmOptions): Promise<FeedFarm> {
  const requests = new Map<number, number>();
  const waiters: { n: number; times: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  /** The requests not yet answered by the server; `gone` once their client has closed the connection. */
  const open = new Set<{ gone: boolean }>();
  const farm: FeedFarm = {
    origin: '',
    host: '',
    url: (n) => `${farm.origin}/feed/${n}.xml`,
    requests,
    maxInFlight: 0,
    requested: (n, times = 1) =>
      new Promise<void>((resolve) => {
        if ((requests.get(n) ?? 0) >= times) resolve();
        else waiters.push({ n, times, resolve });
      }),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const match = /^\/feed\/(\d+)\.xml$/.exec(request.url ?? '');
    if (!match) {
      response.writeHead(404).end();
      return;
    }
    const n = Number(match[1]);
    const seen = (requests.get(n) ?? 0) + 1;
    requests.set(n, seen);
    for (const waiter of waiters.filter((w) => w.n === n && seen >= w.times)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    // The server reads a closed connection (the client's timeout, a killed worker) in the same turn
    // of its event loop as a request that followed it, but reports the close only at the end of that
    // turn: the requests open on arrival are counted a turn later, less those whose client had gone.
    const exchange = { gone: false };
    const before = [...open];
    open.add(exchange);
    setTimeout(() => {
      const inFlight = 1 + before.filter((other) => !other.gone).length;
      farm.maxInFlight = Math.max(farm.maxInFlight, inFlight);
    }, 0);
    const socket = request.socket;
    const settle = (how: 'answered' | 'gone') => {
      if (!open.delete(exchange)) return;
      exchange.gone = how === 'gone';
      socket.off('end', gone);
      socket.off('error', gone);
      response.off('close', gone);
    };
    const answered = () => settle('answered');
    const gone = () => settle('gone');
    socket.on('end', gone);
    socket.on('error', gone);
    response.on('close', gone);
    if (options.hanging?.has(n)) return;
    const delay = (options.latencyMs?.(n) ?? 0) + (options.slowFirst?.n === n && seen === 1 ? options.slowFirst.ms : 0);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (response.destroyed) return;
      answered();
      if (options.failing?.has(n)) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
        return;
      }
      response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(farmFeed(n, now));
    }, delay);
    timers.add(timer);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  farm.host = `127.0.0.1:${port}`;
  farm.origin = `http://${farm.host}`;
  return farm;
}

/**
 * The same feeds as a recorded day in `dir` (day.json and one body file per answering feed): feeds
 * in `failing` answer 500, those in `hanging` are left out (a request fails as unavailable).
 */
export function writeFarmDay(
  dir: string,
  now: Date,
  options: FarmOptions & { url: (n: number) => string; timezone?: string },
): string {
  const responses = [];
  for (let n = 0; n < options.count; n++) {
    if (options.hanging?.has(n)) continue;
    const file = `feed-${n}.xml`;
    const failing = options.failing?.has(n) ?? false;
    writeFileSync(path.join(dir, file), failing ? 'internal error' : farmFeed(n, now));
    responses.push({
      url: options.url(n),
      file,
      status: failing ? 500 : 200,
      contentType: failing ? 'text/plain' : 'application/rss+xml; charset=utf-8',
    });
  }
  const day = {
    day: now.toISOString().slice(0, 10),
    now: now.toISOString(),
    timezone: options.timezone ?? 'UTC',
    responses,
  };
  const file = path.join(dir, 'day.json');
  writeFileSync(file, JSON.stringify(day));
  return file;
}

/** The config's sources for the farm's feeds. */
export function farmSources(count: number, url: (n: number) => string) {
  return Array.from({ length: count }, (_, n) => ({
    id: farmSourceId(n),
    name: `Farm ${n}`,
    kind: 'feed',
    url: url(n),
  }));
}
