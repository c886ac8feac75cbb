/**
 * Run history for the web app: each run with its stages (when each finished, how long it took
 * after the one before, how many items or stories it gave) and its LLM calls (count, tokens, cost).
 */
import { DEFAULT_REPORT_ID } from '../../core/report.js';
import { RUN_STAGES } from '../../core/run.js';
import type { Store } from '../store.js';
import { parseJson } from './reports.js';

export interface RunStageRow {
  /** As stored: a `RunStage`, or a stage of another version of ai-daily. */
  stage: string;
  finishedAt: string;
  /** Time since the run started or the stage before finished. */
  durationMs: number;
  /** collect: items found; stories: stories selected; other stages: none. */
  items?: number;
}

export interface RunRow {
  id: string;
  /** The report the run made, from its key (`default` when the key names none: a run of the default report). */
  report: string;
  reportDate: string;
  /** The run's report language and analysis mode, from its key (absent when the key does not say). */
  language?: string;
  mode?: string;
  startedAt: string;
  finishedAt?: string;
  status: string;
  error?: string;
  durationMs?: number;
  stages: RunStageRow[];
  llm: { calls: number; cacheHits: number; inputTokens: number; outputTokens: number; cost: number };
}

/** The latest runs, newest first; with `report`, that report's runs only (the report its key names). */
export async function listRunsWithStages(store: Store, limit = 50, report?: string): Promise<RunRow[]> {
  const query = store.db.selectFrom('runs').selectAll().orderBy('started_at', 'desc').orderBy('id', 'desc');
  // The report is inside the key (JSON, written alike on both stores): read newest first until `limit` match.
  const runs =
    report === undefined
      ? await query.limit(limit).execute()
      : (await query.execute()).filter((run) => reportOfKey(keyOf(run.run_key)) === report).slice(0, limit);
  if (runs.length === 0) return [];
  const ids = runs.map((r) => r.id);
  const stages = await store.db
    .selectFrom('run_stages')
    .selectAll()
    .where('run_id', 'in', ids)
    .orderBy('finished_at')
    .execute();
  const llm = await store.db
    .selectFrom('llm_calls')
    .select((eb) => [
      'run_id',
      eb.fn.countAll<number>().as('calls'),
      eb.fn.sum<number>('cache_hit').as('hits'),
      eb.fn.sum<number>('input_tokens').as('input'),
      eb.fn.sum<number>('output_tokens').as('output'),
      eb.fn.sum<number>('cost').as('cost'),
    ])
    .where('run_id', 'in', ids)
    .groupBy('run_id')
    .execute();
  const llmBy = new Map(llm.map((r) => [r.run_id, r]));
  return runs.map((run) => {
    let previous = Date.parse(run.started_at);
    const own = stages
      .filter((s) => s.run_id === run.id)
      .sort((a, b) => STAGE_ORDER(a.stage) - STAGE_ORDER(b.stage) || a.finished_at.localeCompare(b.finished_at));
    const stageRows = own.map((s) => {
      const at = Date.parse(s.finished_at);
      const items = itemsOf(s.stage, parseJson<unknown>(s.output_json, null));
      const row: RunStageRow = {
        stage: s.stage,
        finishedAt: s.finished_at,
        durationMs: Math.max(0, at - previous),
        ...(items === undefined ? {} : { items }),
      };
      previous = at;
      return row;
    });
    const calls = llmBy.get(run.id);
    // The key also names the output folder: a path of this machine, not shown.
    const key = keyOf(run.run_key);
    return {
      id: run.id,
      report: reportOfKey(key),
      reportDate: run.report_date,
      ...(typeof key?.language === 'string' ? { language: key.language } : {}),
      ...(typeof key?.mode === 'string' ? { mode: key.mode } : {}),
      startedAt: run.started_at,
      ...(run.finished_at ? { finishedAt: run.finished_at } : {}),
      status: run.status,
      ...(run.error ? { error: run.error } : {}),
      ...(run.finished_at ? { durationMs: Math.max(0, Date.parse(run.finished_at) - Date.parse(run.started_at)) } : {}),
      stages: stageRows,
      llm: {
        calls: Number(calls?.calls ?? 0),
        cacheHits: Number(calls?.hits ?? 0),
        inputTokens: Number(calls?.input ?? 0),
        outputTokens: Number(calls?.output ?? 0),
        cost: Number(calls?.cost ?? 0),
      },
    };
  });
}

type RunKey = { report?: unknown; language?: unknown; mode?: unknown } | null;

function keyOf(runKey: string): RunKey {
  return parseJson<RunKey>(runKey, null);
}

/** The report a run made: its key's, or `default` when the key names none. */
function reportOfKey(key: RunKey): string {
  return typeof key?.report === 'string' ? key.report : DEFAULT_REPORT_ID;
}

/** A stage's place in a run (`RUN_STAGES`); one this version does not know comes after them. */
function STAGE_ORDER(stage: string): number {
  const at = (RUN_STAGES as readonly string[]).indexOf(stage);
  return at < 0 ? RUN_STAGES.length : at;
}

/** What a stage's stored output says about its size: items found by collect, stories selected. */
function itemsOf(stage: string, output: unknown): number | undefined {
  if (output === null || typeof output !== 'object') return undefined;
  const value = output as { sources?: unknown; stories?: unknown };
  if (stage === 'collect' && Array.isArray(value.sources)) {
    return value.sources.reduce(
      (sum: number, s: unknown) =>
        sum +
        (typeof (s as { itemsFound?: unknown }).itemsFound === 'number' ? (s as { itemsFound: number }).itemsFound : 0),
      0,
    );
  }
  if (stage === 'stories' && Array.isArray(value.stories)) return value.stories.length;
  return undefined;
}
