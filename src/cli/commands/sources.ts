import { existsSync } from 'node:fs';
import { collectSources } from '../../app/collect.js';
import { type GlobalOptions, loadCheckedConfig, openContext, type SourceOptions } from '../../app/context.js';
import { ConfigError, errorMessage } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import type { SourceConfig } from '../../core/types.js';
import { Store, storeFile } from '../../store/store.js';

export interface SourceListEntry {
  id: string;
  name: string;
  kind: string;
  url: string;
  section: string;
  authority: number;
  enabled: boolean;
  /** Consecutive failed runs, from the store (0 when never fetched). */
  errorCount: number;
  lastErrorKind?: string;
  lastOkAt?: string;
  /** When the source is next due (`workers.checkIntervalMinutes`, backing off after failures). */
  nextCheckAt?: string;
  /** When its collection job was dead-lettered (collection workers), if it has failed ever since. */
  deadLetteredAt?: string;
}

/** `ai-daily sources list`: every configured source with its health from the store. */
export async function sourcesListCommand(options: GlobalOptions): Promise<SourceListEntry[]> {
  const config = loadCheckedConfig(options);
  let health = new Map<
    string,
    { errorCount: number; lastErrorKind?: string; lastOkAt?: string; nextCheckAt?: string; deadLetteredAt?: string }
  >();
  const cwd = options.cwd ?? process.cwd();
  try {
    // Listing never creates a SQLite store: with none yet, no source has been fetched.
    if (config.store.driver === 'postgres' || existsSync(storeFile(config.store, cwd))) {
      const store = await Store.connect(config.store, { cwd });
      health = new Map((await store.sourceHealth()).map((h) => [h.id, h]));
      await store.close();
    }
  } catch (error) {
    options.log.warn(`no source health available: ${errorMessage(error)}`);
  }
  return config.sources.map((s: SourceConfig) => {
    const h = health.get(s.id);
    return {
      id: s.id,
      name: s.name,
      kind: s.kind,
      url: redact(s.url),
      section: s.section,
      authority: s.authority,
      enabled: s.enabled,
      errorCount: h?.errorCount ?? 0,
      ...(h?.lastErrorKind ? { lastErrorKind: h.lastErrorKind } : {}),
      ...(h?.lastOkAt ? { lastOkAt: h.lastOkAt } : {}),
      ...(h?.nextCheckAt ? { nextCheckAt: h.nextCheckAt } : {}),
      ...(h?.deadLetteredAt ? { deadLetteredAt: h.deadLetteredAt } : {}),
    };
  });
}

export function formatSourceList(entries: SourceListEntry[]): string {
  const lines = entries.map(
    (e) =>
      `${e.enabled ? ' ' : '-'} ${e.id.padEnd(30)} ${e.kind.padEnd(12)} ${e.section.padEnd(13)} ${e.authority.toFixed(2)}  ${e.url}` +
      (e.errorCount > 0
        ? `  (failing ×${e.errorCount}: ${e.lastErrorKind ?? '?'}${e.deadLetteredAt ? ', dead-lettered' : ''})`
        : ''),
  );
  return `${lines.join('\n')}\n`;
}

/** `ai-daily sources test ID`: fetch one source now and show what it gives, storing nothing new twice. */
export async function sourcesTestCommand(
  id: string,
  options: GlobalOptions & SourceOptions,
): Promise<{ id: string; status: string; errorKind?: string; error?: string; items: number; sample: string[] }> {
  const context = await openContext(options);
  try {
    const source = context.config.sources.find((s) => s.id === id);
    if (!source) {
      throw new ConfigError(`no source with id "${id}" (see: ai-daily sources list)`);
    }
    const summary = await collectSources({
      config: { ...context.config, sources: [{ ...source, enabled: true }] },
      store: context.store,
      transport: context.transport,
      now: context.now,
      log: context.log,
    });
    const outcome = summary.sources[0]!;
    const recent = await context.store.latestItems(id, 5);
    return {
      id,
      status: outcome.status,
      ...(outcome.errorKind ? { errorKind: outcome.errorKind, error: outcome.error } : {}),
      items: outcome.itemsFound,
      sample: recent.map((item) => `${item.publishedAt.slice(0, 10)}  ${item.title}  <${item.url}>`),
    };
  } finally {
    await context.close();
  }
}
