/**
 * Source health for the web app, from the fetch log: each source's last fetch, its status and
 * error kind, how many items it gave in the last seven days, how often it failed, and its
 * availability per day.
 */
import type { Store } from '../store.js';

export interface SourceStatusRow {
  id: string;
  name: string;
  kind: string;
  /** Consecutive failed runs (0 after a success). */
  errorCount: number;
  lastOkAt?: string;
  lastFetch?: { at: string; status: string; errorKind?: string; error?: string; elapsedMs: number; itemsFound: number };
  /** Items of this source published in the 7 days before `now`. */
  itemsLast7Days: number;
  /** Fetches in the fetch log, and how many of them failed. */
  fetches: number;
  failures: number;
  /** failures / fetches, 0 when never fetched. */
  failureRate: number;
}

export interface AvailabilityRow {
  sourceId: string;
  /** YYYY-MM-DD (UTC) of the fetches. */
  date: string;
  fetches: number;
  failures: number;
}

/** Every known source with its health, by id. */
export async function sourceStatuses(store: Store, now: Date): Promise<SourceStatusRow[]> {
  const sources = await store.db.selectFrom('sources').selectAll().orderBy('id').execute();
  const counts = await store.db
    .selectFrom('fetch_log')
    .select((eb) => [
      'source_id',
      eb.fn.countAll<number>().as('fetches'),
      eb.fn.sum<number>(eb.case().when('status', '=', 'failed').then(1).else(0).end()).as('failures'),
    ])
    .groupBy('source_id')
    .execute();
  const countBy = new Map(counts.map((c) => [c.source_id, c]));
  const since = new Date(now.getTime() - 7 * 86_400_000).toISOString();
  const recent = await store.db
    .selectFrom('items')
    .select((eb) => ['source_id', eb.fn.countAll<number>().as('n')])
    .where('published_at', '>=', since)
    .where('published_at', '<=', now.toISOString())
    .groupBy('source_id')
    .execute();
  const recentBy = new Map(recent.map((r) => [r.source_id, Number(r.n)]));
  const out: SourceStatusRow[] = [];
  for (const s of sources) {
    const last = await store.db
      .selectFrom('fetch_log')
      .selectAll()
      .where('source_id', '=', s.id)
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const count = countBy.get(s.id);
    const fetches = Number(count?.fetches ?? 0);
    const failures = Number(count?.failures ?? 0);
    out.push({
      id: s.id,
      name: s.name,
      kind: s.kind,
      errorCount: s.error_count,
      ...(s.last_ok_at ? { lastOkAt: s.last_ok_at } : {}),
      ...(last
        ? {
            lastFetch: {
              at: last.started_at,
              status: last.status,
              ...(last.error_kind ? { errorKind: last.error_kind } : {}),
              ...(last.error_message ? { error: last.error_message } : {}),
              elapsedMs: last.elapsed_ms,
              itemsFound: last.items_found,
            },
          }
        : {}),
      itemsLast7Days: recentBy.get(s.id) ?? 0,
      fetches,
      failures,
      failureRate: fetches === 0 ? 0 : failures / fetches,
    });
  }
  return out;
}

/** Fetches and failures per source and UTC day since `since` (an ISO instant), oldest first. */
export async function sourceAvailability(store: Store, since: string): Promise<AvailabilityRow[]> {
  const rows = await store.db
    .selectFrom('fetch_log')
    .select(['source_id', 'started_at', 'status'])
    .where('started_at', '>=', since)
    .where('status', '!=', 'disabled')
    // A run's fetches share one start time: the source id orders them the same on every store.
    .orderBy('started_at')
    .orderBy('source_id')
    .orderBy('id')
    .execute();
  const byKey = new Map<string, AvailabilityRow>();
  for (const r of rows) {
    const date = r.started_at.slice(0, 10);
    const key = `${r.source_id}\u0000${date}`;
    const row = byKey.get(key) ?? { sourceId: r.source_id, date, fetches: 0, failures: 0 };
    row.fetches += 1;
    if (r.status === 'failed') row.failures += 1;
    byKey.set(key, row);
  }
  return [...byKey.values()];
}

/** When the latest fetch started (ISO), if any fetch was logged. */
export async function latestFetchAt(store: Store): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('fetch_log')
    .select('started_at')
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.started_at;
}
