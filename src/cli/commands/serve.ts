import type { GlobalOptions } from '../../app/context.js';
import { type RunningServer, startWebServer } from '../../app/serve.js';
import { shutdownSignal } from '../shutdown.js';

export interface ServeCommandOptions extends GlobalOptions {
  host?: string;
  port?: number;
  out?: string;
  /** Stops the server; default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
  /** Hears the URL once the server listens (default: printed on stdout). */
  onListening?: (server: RunningServer) => void;
}

/**
 * `ai-daily serve`: the web app over the store and the output folder, until SIGINT/SIGTERM (or
 * `signal`); prints its URL on stdout. Resolves once it has stopped and the store is closed.
 */
export async function serveCommand(options: ServeCommandOptions): Promise<{ url: string }> {
  const server = await startWebServer(options);
  (options.onListening ?? ((s) => process.stdout.write(`ai-daily: serving ${s.url}\n`)))(server);
  const shutdown = options.signal ? undefined : shutdownSignal();
  const signal = options.signal ?? (shutdown as { signal: AbortSignal }).signal;
  await new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  shutdown?.dispose();
  await server.close();
  options.log.info('stopped');
  return { url: server.url };
}
