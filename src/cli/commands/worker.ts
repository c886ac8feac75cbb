import { type GlobalOptions, loadCheckedConfig, openContext, type SourceOptions } from '../../app/context.js';
import { queueUrl, runWorker, type WorkerSummary } from '../../app/workers.js';
import { ConfigError } from '../../core/errors.js';
import { toStoreError } from '../../store/errors.js';
import { shutdownSignal } from '../shutdown.js';

export interface WorkerCommandOptions extends GlobalOptions, Pick<SourceOptions, 'replay'> {
  /** --concurrency N: sources collected at once (default: workers.concurrency). */
  concurrency?: number;
  /** Stops the worker; default: SIGINT or SIGTERM. */
  signal?: AbortSignal;
}

/**
 * `ai-daily worker`: takes collection jobs from the queue in the PostgreSQL store until SIGINT or
 * SIGTERM (src/app/workers.ts); `--replay` answers every request from a recorded day.
 */
export async function workerCommand(options: WorkerCommandOptions): Promise<WorkerSummary> {
  queueUrl(loadCheckedConfig(options), 'ai-daily worker');
  const stop = options.signal ? undefined : shutdownSignal();
  const context = await openContext({ ...options, record: undefined });
  try {
    return await runWorker(context, {
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      signal: options.signal ?? (stop as { signal: AbortSignal }).signal,
    });
  } catch (error) {
    throw toStoreError(error, context.store.file);
  } finally {
    stop?.dispose();
    await context.close();
  }
}

/** `--concurrency N`: a whole number from 1 to 64. */
export function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1 || n > 64) {
    throw new ConfigError(`--concurrency: expected a whole number from 1 to 64, got "${value}"`);
  }
  return n;
}
