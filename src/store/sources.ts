/**
 * The sources, their fetch log and health counters, and the HTTP validators kept per URL for
 * conditional GET.
 */
import type { Kysely } from 'kysely';
import { redact } from '../core/redact.js';
import type { SourceOutcome } from '../core/run.js';
import type { SourceConfig } from '../core/types.js';
import type { Database } from './schema.js';

/** HTTP validators kept per URL for conditional GET. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export async function upsertSources(db: Kysely<Database>, sources: SourceConfig[], now: Date): Promise<void> {
  const at = now.toISOString();
  for (const s of sources) {
    // A key in the URL (`${VAR}`) or its userinfo is never stored.
    const url = redact(s.url);
    await db
      .insertInto('sources')
      .values({ id: s.id, name: s.name, kind: s.kind, url, error_count: 0, updated_at: at })
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: s.name, kind: s.kind, url, updated_at: at }))
      .execute();
  }
}

export async function recordOutcome(
  db: Kysely<Database>,
  runId: string | null,
  outcome: SourceOutcome,
  startedAt: Date,
): Promise<void> {
  const at = startedAt.toISOString();
  await db
    .insertInto('fetch_log')
    .values({
      run_id: runId,
      source_id: outcome.id,
      started_at: at,
      elapsed_ms: Math.round(outcome.elapsedMs),
      status: outcome.status,
      error_kind: outcome.errorKind ?? null,
      error_message: outcome.error === undefined ? null : redact(outcome.error),
      items_found: outcome.itemsFound,
      items_new: outcome.itemsNew,
    })
    .execute();
  if (outcome.status === 'failed') {
    await db
      .updateTable('sources')
      .set((eb) => ({
        error_count: eb('error_count', '+', 1),
        last_error_at: at,
        last_error_kind: outcome.errorKind ?? null,
      }))
      .where('id', '=', outcome.id)
      .execute();
  } else if (outcome.status !== 'disabled') {
    await db.updateTable('sources').set({ error_count: 0, last_ok_at: at }).where('id', '=', outcome.id).execute();
  }
}

/** A source's health, from the store (`sources list`). */
export interface SourceHealth {
  id: string;
  name: string;
  kind: string;
  url: string;
  /** Consecutive failed runs; 0 after a success. */
  errorCount: number;
  lastOkAt?: string;
  lastErrorKind?: string;
}

export async function sourceHealth(db: Kysely<Database>): Promise<SourceHealth[]> {
  const rows = await db.selectFrom('sources').selectAll().orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    errorCount: r.error_count,
    lastOkAt: r.last_ok_at ?? undefined,
    lastErrorKind: r.last_error_kind ?? undefined,
  }));
}

export async function successfulFetchTimes(db: Kysely<Database>, sourceIds?: string[]): Promise<Map<string, string[]>> {
  let query = db
    .selectFrom('fetch_log')
    .select(['source_id', 'started_at'])
    .where('status', 'in', ['ok', 'not-modified'])
    .orderBy('started_at');
  if (sourceIds) {
    if (sourceIds.length === 0) return new Map();
    query = query.where('source_id', 'in', sourceIds);
  }
  const times = new Map<string, string[]>();
  for (const row of await query.execute()) {
    const list = times.get(row.source_id) ?? [];
    list.push(row.started_at);
    times.set(row.source_id, list);
  }
  return times;
}

export async function latestOutcomes(db: Kysely<Database>, at: string): Promise<SourceOutcome[]> {
  const rows = await db
    .selectFrom('fetch_log')
    .innerJoin('sources', 'sources.id', 'fetch_log.source_id')
    .select([
      'fetch_log.source_id as id',
      'sources.name as name',
      'sources.kind as kind',
      'fetch_log.status as status',
      'fetch_log.error_kind as errorKind',
      'fetch_log.error_message as error',
      'fetch_log.items_found as itemsFound',
      'fetch_log.items_new as itemsNew',
      'fetch_log.elapsed_ms as elapsedMs',
      'fetch_log.started_at as startedAt',
    ])
    .where('fetch_log.started_at', '<=', at)
    .orderBy('fetch_log.started_at', 'desc')
    .orderBy('fetch_log.id', 'desc')
    .execute();
  const latest = new Map<string, SourceOutcome>();
  for (const r of rows) {
    if (latest.has(r.id)) continue;
    latest.set(r.id, {
      id: r.id,
      name: r.name,
      kind: r.kind as SourceOutcome['kind'],
      status: r.status as SourceOutcome['status'],
      ...(r.errorKind ? { errorKind: r.errorKind as SourceOutcome['errorKind'] } : {}),
      ...(r.error ? { error: r.error } : {}),
      itemsFound: r.itemsFound,
      itemsNew: r.itemsNew,
      itemsSeen: r.itemsFound - r.itemsNew,
      elapsedMs: r.elapsedMs,
    });
  }
  return [...latest.values()];
}

export async function loadValidators(db: Kysely<Database>): Promise<Map<string, Validators>> {
  const rows = await db.selectFrom('http_validators').selectAll().execute();
  return new Map(
    rows.map((r) => [r.url, { etag: r.etag ?? undefined, lastModified: r.last_modified ?? undefined }] as const),
  );
}

export async function saveValidators(
  db: Kysely<Database>,
  validators: Map<string, Validators>,
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  for (const [url, v] of validators) {
    const values = { etag: v.etag ?? null, last_modified: v.lastModified ?? null, updated_at: at };
    await db
      .insertInto('http_validators')
      .values({ url, ...values })
      .onConflict((oc) => oc.column('url').doUpdateSet(values))
      .execute();
  }
}
