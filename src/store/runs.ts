/**
 * Runs and their stage checkpoints (src/app/stages.ts): a crashed or failed run resumes with its
 * finished stages.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface SavedStage {
  stage: string;
  output: unknown;
}

/** What `beginRun` found: a fresh run, or an unfinished one to resume with its finished stages. */
export interface RunHandle {
  id: string;
  resumed: boolean;
  stages: Map<string, unknown>;
}

export async function beginRun(
  db: Kysely<Database>,
  runKey: string,
  reportDate: string,
  now: Date,
): Promise<RunHandle> {
  const last = await db
    .selectFrom('runs')
    .selectAll()
    .where('run_key', '=', runKey)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (last && last.status !== 'done') {
    const stageRows = await db.selectFrom('run_stages').selectAll().where('run_id', '=', last.id).execute();
    await db.updateTable('runs').set({ status: 'running', error: null }).where('id', '=', last.id).execute();
    return {
      id: last.id,
      resumed: true,
      stages: new Map(stageRows.map((s) => [s.stage, JSON.parse(s.output_json) as unknown] as const)),
    };
  }
  const id = randomUUID();
  await db
    .insertInto('runs')
    .values({
      id,
      run_key: runKey,
      report_date: reportDate,
      started_at: now.toISOString(),
      finished_at: null,
      status: 'running',
      error: null,
    })
    .execute();
  return { id, resumed: false, stages: new Map() };
}

export async function saveStage(
  db: Kysely<Database>,
  runId: string,
  stage: string,
  output: unknown,
  now: Date,
): Promise<void> {
  const values = { finished_at: now.toISOString(), output_json: JSON.stringify(output) };
  await db
    .insertInto('run_stages')
    .values({ run_id: runId, stage, ...values })
    .onConflict((oc) => oc.columns(['run_id', 'stage']).doUpdateSet(values))
    .execute();
}

export async function finishRun(
  db: Kysely<Database>,
  runId: string,
  status: 'done' | 'failed',
  now: Date,
  error?: string,
): Promise<void> {
  await db
    .updateTable('runs')
    .set({ status, finished_at: now.toISOString(), error: error ?? null })
    .where('id', '=', runId)
    .execute();
}

export async function listRuns(
  db: Kysely<Database>,
  limit = 20,
): Promise<{ id: string; reportDate: string; startedAt: string; status: string }[]> {
  const rows = await db.selectFrom('runs').selectAll().orderBy('started_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, reportDate: r.report_date, startedAt: r.started_at, status: r.status }));
}
