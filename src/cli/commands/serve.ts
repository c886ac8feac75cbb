import type { GlobalOptions } from '../../app/context.js';
import { type RunningServer, startWebServer } from '../../app/serve.js';

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
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      options.signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (options.signal?.aborted) return stop();
    options.signal?.addEventListener('abort', stop);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  options.log.info('stopped');
  return { url: server.url };
}
