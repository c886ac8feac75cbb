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

/** How often a source is checked (`next_check_at`). */
export interface CheckSchedule {
  intervalMs: number;
  maxIntervalMs: number;
}

/** When a source is next due: `interval` after a success, `interval × 2^failures` (capped) after failures. */
export function nextCheckAt(at: Date, schedule: CheckSchedule, failures: number): string {
  const wait = Math.min(schedule.intervalMs * 2 ** Math.min(failures, 30), schedule.maxIntervalMs);
  return new Date(at.getTime() + Math.max(wait, 0)).toISOString();
}

/**
 * Writes one source's outcome to the fetch log and its health counters. With a `schedule`, also
 * when the source is next due (`next_check_at`, miniflux-style): a success (ok or not modified)
 * `intervalMs` after `startedAt`; the k-th failure in a row `intervalMs × 2^k` after it, at most
 * `maxIntervalMs`. A success clears `dead_lettered_at`.
 */
export async function recordOutcome(
  db: Kysely<Database>,
  runId: string | null,
  outcome: SourceOutcome,
  startedAt: Date,
  schedule?: CheckSchedule,
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
    const updated = await db
      .updateTable('sources')
      .set((eb) => ({
        error_count: eb('error_count', '+', 1),
        last_error_at: at,
        last_error_kind: outcome.errorKind ?? null,
      }))
      .where('id', '=', outcome.id)
      .returning('error_count')
      .executeTakeFirst();
    if (schedule && updated) {
      await db
        .updateTable('sources')
        .set({ next_check_at: nextCheckAt(startedAt, schedule, Number(updated.error_count)) })
        .where('id', '=', outcome.id)
        .execute();
    }
  } else if (outcome.status !== 'disabled') {
    await db
      .updateTable('sources')
      .set({
        error_count: 0,
        last_ok_at: at,
        dead_lettered_at: null,
        ...(schedule ? { next_check_at: nextCheckAt(startedAt, schedule, 0) } : {}),
      })
      .where('id', '=', outcome.id)
      .execute();
  }
}

/** Records that a source's collection job was dead-lettered (it kept failing). */
export async function markDeadLettered(db: Kysely<Database>, sourceId: string, at: Date): Promise<void> {
  await db.updateTable('sources').set({ dead_lettered_at: at.toISOString() }).where('id', '=', sourceId).execute();
}

/** Of these source ids, those due at `now`: never checked, or `next_check_at` reached (given order kept). */
export async function dueSourceIds(db: Kysely<Database>, sourceIds: readonly string[], now: Date): Promise<string[]> {
  if (sourceIds.length === 0) return [];
  const notDue = new Set<string>();
  for (let i = 0; i < sourceIds.length; i += 500) {
    const rows = await db
      .selectFrom('sources')
      .select('id')
      .where('id', 'in', sourceIds.slice(i, i + 500))
      .where('next_check_at', '>', now.toISOString())
      .execute();
    for (const row of rows) notDue.add(row.id);
  }
  return sourceIds.filter((id) => !notDue.has(id));
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
  /** When the source is next due (`next_check_at`). */
  nextCheckAt?: string;
  /** When its collection job was dead-lettered, if it has failed ever since. */
  deadLetteredAt?: string;
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
    nextCheckAt: r.next_check_at ?? undefined,
    deadLetteredAt: r.dead_lettered_at ?? undefined,
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

/** Each source's latest fetch-log entry at or before `at` (for a report written from the store). */
export async function latestOutcomes(db: Kysely<Database>, at: string): Promise<SourceOutcome[]> {
  return latestOutcomesBy(db, { at });
}

/** Each source's latest fetch-log entry written for this run (its last attempt). */
export async function runOutcomes(db: Kysely<Database>, runId: string): Promise<SourceOutcome[]> {
  return latestOutcomesBy(db, { runId });
}

async function latestOutcomesBy(
  db: Kysely<Database>,
  by: { at: string } | { runId: string },
): Promise<SourceOutcome[]> {
  const query = db
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
    ]);
  const rows = await ('at' in by
    ? query.where('fetch_log.started_at', '<=', by.at)
    : query.where('fetch_log.run_id', '=', by.runId)
  )
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
