/**
 * The web app as a front door: the checked config, the store opened for reading (WAL: a run or
 * the scheduler may write meanwhile), the published report files of the output folder, and the
 * Hono app of src/web on @hono/node-server. It never fetches: no transport is opened.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { ConfigError, errorMessage } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { Report } from '../core/report.js';
import { normaliseWeights } from '../pipeline/rank.js';
import { type ReportEntry, webQueries } from '../store/queries/index.js';
import { Store } from '../store/store.js';
import { createWebApp } from '../web/app.js';
import { type GlobalOptions, loadCheckedConfig } from './context.js';

export interface ServeOptions extends GlobalOptions {
  /** --host; default: serve.host of the config (127.0.0.1). */
  host?: string;
  /** --port; default: serve.port of the config (8080); 0 picks a free port. */
  port?: number;
  /** --out: the output folder the reports were written to; default: output.dir of the config. */
  out?: string;
  /** The clock (tests); default: the real one. */
  now?: () => Date;
}

export interface RunningServer {
  /** http://host:port/ (the port the server really got). */
  url: string;
  host: string;
  port: number;
  /** Stops listening, ends open connections and closes the store. */
  close(): Promise<void>;
}

/** Whether `host` is a loopback address (or `localhost`): reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/** Starts the web app; resolves once it listens. */
export async function startWebServer(options: ServeOptions): Promise<RunningServer> {
  const cwd = options.cwd ?? process.cwd();
  const config = loadCheckedConfig(options);
  const host = options.host ?? config.serve.host;
  const port = options.port ?? config.serve.port;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(`--port: expected a port number 0-65535, got "${port}"`);
  }
  const token = config.serve.token;
  if (!isLoopbackHost(host) && token === undefined) {
    throw new ConfigError(
      `serve: refusing to listen on ${host}: an address other than loopback (127.0.0.1, ::1, localhost) is reachable from other machines, so it needs a token. Set serve.token (for example \`serve: { token: \${AI_DAILY_SERVE_TOKEN} }\`), or listen on 127.0.0.1`,
    );
  }
  const outDir = path.resolve(cwd, options.out ?? config.output.dir);
  const store = await Store.connect(config.store, { cwd, readOnly: true });
  const now = options.now ?? (() => new Date());
  const app = createWebApp(
    {
      queries: webQueries(store),
      readReport: (entry) => readReportFile(outDir, entry),
      weights: { ...normaliseWeights(config.ranking.weights) },
      language: config.language,
      reports: config.reports.map((r) => ({
        id: r.id,
        language: r.language,
        sources: r.sources,
        ...(r.title === undefined ? {} : { title: r.title }),
      })),
      siteTitle: config.report.title ?? 'ai-daily',
      now,
    },
    {
      ...(token === undefined ? {} : { token }),
      onError: (route, error) => options.log.error(`serve: ${route}: ${redact(errorMessage(error))}`),
    },
  );
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new ConfigError(`serve: port ${port} on ${host} is in use; pick another with --port`);
    if (code === 'EACCES')
      throw new ConfigError(
        `serve: not allowed to listen on ${host}:${port} (a port below 1024 needs privileges); pick another with --port`,
      );
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new ConfigError(`serve: ${host} is not an address of this machine`);
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}/`,
    host: address.address,
    port: address.port,
    close() {
      closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await store.close();
      })();
      return closed;
    },
  };
}

/**
 * A report's JSON file in the output folder, as a Report; undefined when it is missing, outside the
 * folder, or not a report (the page then lists the day's stories from the store).
 */
export function readReportFile(outDir: string, entry: ReportEntry): Report | undefined {
  const file = path.resolve(outDir, entry.jsonPath);
  if (!file.startsWith(outDir + path.sep)) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Report> | null;
    if (!value || typeof value !== 'object' || value.date !== entry.date || !Array.isArray(value.sections))
      return undefined;
    return value as Report;
  } catch {
    return undefined;
  }
}
