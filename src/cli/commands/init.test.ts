import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { offPeakMinute, secretNamesIn, utcCron } from '../../config/github-workflow.js';
import { loadConfig } from '../../config/load.js';
import { cronProblem } from '../../config/schema.js';
import { ConfigError } from '../../core/errors.js';
import { initCommand, WORKFLOW_FILE } from './init.js';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  shell?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface Workflow {
  on: {
    schedule: { cron: string }[];
    workflow_dispatch: { inputs: { date: { required: boolean; type: string } } };
  };
  concurrency: { group: string; 'cancel-in-progress': boolean };
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

const summer = new Date('2026-07-01T00:00:00Z');
const winter = new Date('2026-12-01T00:00:00Z');

function readWorkflow(cwd: string): { text: string; workflow: Workflow; steps: Step[] } {
  const text = readFileSync(path.join(cwd, WORKFLOW_FILE), 'utf8');
  const workflow = parse(text) as Workflow;
  const jobs = Object.values(workflow.jobs);
  assert.equal(jobs.length, 1);
  return { text, workflow, steps: jobs[0]?.steps ?? [] };
}

describe('init --github-actions', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ai-daily-init-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a workflow: odd-minute UTC schedule, dated manual runs, one at a time, cached store, log on failure', () => {
    const cwd = mkdtempSync(path.join(dir, 'new-'));
    const result = initCommand({ cwd, githubActions: true, now: summer });
    assert.deepEqual(result.written, [path.join(cwd, 'ai-daily.config.yaml'), path.join(cwd, WORKFLOW_FILE)]);
    assert.deepEqual(result.warnings, []);
    const { workflow, steps } = readWorkflow(cwd);

    // Schedule: the default 10:00 Asia/Shanghai is 02:00 UTC, moved off the hour.
    const [schedule] = workflow.on.schedule;
    assert.ok(schedule);
    assert.equal(cronProblem(schedule.cron), undefined);
    const minute = Number(schedule.cron.split(' ')[0]);
    assert.ok(minute % 2 === 1 && minute % 5 !== 0, schedule.cron);
    assert.equal(schedule.cron.split(' ').slice(1).join(' '), '2 * * *');

    assert.deepEqual(workflow.on.workflow_dispatch.inputs.date.required, false);
    assert.deepEqual(workflow.concurrency, { group: 'ai-daily', 'cancel-in-progress': false });
    assert.equal(workflow.permissions.contents, 'write');

    const uses = steps.flatMap((s) => (s.uses ? [s.uses] : []));
    for (const action of uses) assert.match(action, /^actions\/[a-z-]+(\/[a-z]+)?@v4$/, action);
    assert.ok(uses.includes('actions/checkout@v4') && uses.includes('actions/setup-node@v4'));
    assert.equal(steps.find((s) => s.uses === 'actions/checkout@v4')?.with?.['persist-credentials'], true);
    const setupNode = steps.find((s) => s.uses === 'actions/setup-node@v4');
    assert.deepEqual(setupNode?.with, { 'node-version': 20, cache: 'npm' });
    assert.ok(steps.some((s) => s.run?.trim() === 'npm ci'));

    // The store: restored from the newest entry with the prefix, saved under a new key every run.
    const restore = steps.find((s) => s.uses === 'actions/cache/restore@v4');
    const save = steps.find((s) => s.uses === 'actions/cache/save@v4');
    assert.ok(restore && save);
    assert.match(String(restore.with?.path), /^data\/ai-daily\.db$/m);
    assert.equal(restore.with?.path, save.with?.path);
    assert.match(String(save.with?.key), /\$\{\{ github\.run_id \}\}/);
    assert.equal(save.with?.key, restore.with?.key);
    assert.equal(String(restore.with?.['restore-keys']).trim(), 'ai-daily-store-');
    assert.ok(String(save.with?.key).startsWith('ai-daily-store-'));
    assert.equal(save.if, 'always()');

    // The run: after restore, before save; the date only through env, checked in the script.
    const runIndex = steps.findIndex((s) => s.run?.includes('npx ai-daily'));
    const run = steps[runIndex];
    assert.ok(run?.run && run.env);
    assert.ok(steps.indexOf(restore) < runIndex && runIndex < steps.indexOf(save));
    assert.equal(run.env.REPORT_DATE, '${{ inputs.date }}');
    assert.match(run.run, /\[\[ "\$REPORT_DATE" =~ \^\[0-9\]\{4\}-\[0-9\]\{2\}-\[0-9\]\{2\}\$ \]\]/);
    assert.match(run.run, /--date "\$REPORT_DATE"/);
    assert.match(run.run, /tee ai-daily-logs\//);
    assert.equal(run.shell, 'bash');
    assert.equal(run.env.DEEPSEEK_API_KEY, '${{ secrets.DEEPSEEK_API_KEY }}');
    const identity = steps.findIndex((s) => s.run?.includes('git config user.name'));
    assert.ok(identity >= 0 && identity < runIndex);
    for (const step of steps) {
      assert.doesNotMatch(step.run ?? '', /\$\{\{/, `an expression inside a run script: ${step.run}`);
    }

    const upload = steps.find((s) => s.uses === 'actions/upload-artifact@v4');
    assert.equal(upload?.if, 'failure()');
    assert.equal(upload?.with?.path, 'ai-daily-logs/');

    // The config it wrote is valid, publishes through git into site/ in the checkout.
    const config = loadConfig({ cwd, env: {} });
    assert.equal(config.output.dir, './site');
    assert.ok(config.publish.git);
  });

  it('reads an existing config: its schedule (converted with the zone’s offset), store, secrets; it is never overwritten', () => {
    const cwd = mkdtempSync(path.join(dir, 'existing-'));
    const configText = [
      'timezone: Europe/Berlin',
      'schedule: { cron: "30 6 * * *", timezone: America/New_York }',
      'store: { path: state/news.db }',
      'output: { dir: ./public }',
      'publish: { git: { branch: gh-pages } }',
      'llm: { provider: openai, baseURL: "https://api.example.com/v1", model: m, apiKey: "${MY_LLM_KEY}" }',
      '# apiKey: ${COMMENTED_OUT}',
      'sources:',
      '  - { id: github-search-ai, params: { token: "${GH_SEARCH_TOKEN:-}" } }',
      '',
    ].join('\n');
    writeFileSync(path.join(cwd, 'ai-daily.config.yaml'), configText);
    const result = initCommand({ cwd, githubActions: true, now: winter });
    assert.deepEqual(result.written, [path.join(cwd, WORKFLOW_FILE)]);
    assert.equal(readFileSync(path.join(cwd, 'ai-daily.config.yaml'), 'utf8'), configText);
    const { workflow, steps, text } = readWorkflow(cwd);
    // 06:30 in New York in December (UTC-5) is 11:30 UTC; :30 moves to :37.
    assert.equal(workflow.on.schedule[0]?.cron, '37 11 * * *');
    assert.match(text, /"30 6 \* \* \*" in America\/New_York, at UTC-05:00/);
    const run = steps.find((s) => s.run?.includes('npx ai-daily'));
    assert.deepEqual(Object.keys(run?.env ?? {}).sort(), ['GH_SEARCH_TOKEN', 'MY_LLM_KEY', 'REPORT_DATE']);
    const restore = steps.find((s) => s.uses === 'actions/cache/restore@v4');
    assert.match(String(restore?.with?.path), /^state\/news\.db$/m);

    assert.throws(
      () => initCommand({ cwd, githubActions: true }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /ai-daily\.yml already exists \(use --force/);
        return true;
      },
    );
    writeFileSync(path.join(cwd, 'ai-daily.config.yaml'), 'store: { path: /var/lib/ai-daily.db }\n');
    assert.throws(
      () => initCommand({ cwd, githubActions: true, force: true }),
      /store\.path "\/var\/lib\/ai-daily\.db"/,
    );
    writeFileSync(path.join(cwd, 'ai-daily.config.yaml'), 'timezone: UTC\n');
    const warned = initCommand({ cwd, githubActions: true, force: true });
    assert.match(warned.warnings.join('\n'), /no publish\.git/);
    assert.equal(readWorkflow(cwd).workflow.on.schedule[0]?.cron, '7 10 * * *');
  });

  it('with a PostgreSQL store, caches nothing and passes the database URL from the repository secrets', () => {
    const cwd = mkdtempSync(path.join(dir, 'postgres-'));
    writeFileSync(
      path.join(cwd, 'ai-daily.config.yaml'),
      'store: { driver: postgres, url: "${DATABASE_URL}" }\npublish: { git: {} }\n',
    );
    initCommand({ cwd, githubActions: true, now: winter });
    const { steps, text } = readWorkflow(cwd);
    assert.ok(!steps.some((s) => String(s.uses).startsWith('actions/cache')), 'no cache step');
    assert.match(text, /PostgreSQL database that store\.url names/);
    const run = steps.find((s) => s.run?.includes('npx ai-daily'));
    assert.equal(run?.env?.DATABASE_URL, '${{ secrets.DATABASE_URL }}');
  });

  it('plain init still writes only the config, and refuses to overwrite it', () => {
    const cwd = mkdtempSync(path.join(dir, 'plain-'));
    assert.deepEqual(initCommand({ cwd }).written, [path.join(cwd, 'ai-daily.config.yaml')]);
    assert.equal(existsSync(path.join(cwd, WORKFLOW_FILE)), false);
    assert.equal(loadConfig({ cwd, env: {} }).output.dir, './out');
    assert.throws(() => initCommand({ cwd }), /already exists/);
  });
});

describe('the workflow’s UTC cron', () => {
  it('converts with the offset of the day, summer or winter', () => {
    assert.deepEqual(utcCron('0 10 * * *', 'Asia/Shanghai', summer), {
      cron: '7 2 * * *',
      note: '"0 10 * * *" in Asia/Shanghai, at UTC+08:00 (its offset when this file was written)',
    });
    assert.equal(cronOf(utcCron('0 8 * * *', 'Europe/Berlin', summer)), '7 6 * * *');
    assert.equal(cronOf(utcCron('0 8 * * *', 'Europe/Berlin', winter)), '7 7 * * *');
    assert.equal(cronOf(utcCron('13 6 * * 1-5', 'America/New_York', winter)), '13 11 * * 1-5');
    assert.equal(cronOf(utcCron('@daily', 'UTC', winter)), '7 0 * * *');
  });

  it('hours that cross midnight wrap; a half-hour zone moves the minute', () => {
    assert.equal(cronOf(utcCron('0 9,21 * * *', 'Asia/Shanghai', winter)), '7 1,13 * * *');
    assert.equal(cronOf(utcCron('0 6 * * *', 'Asia/Shanghai', winter)), '7 22 * * *');
    // India is UTC+05:30: 10:00 is 04:30 UTC, moved to :37.
    assert.equal(cronOf(utcCron('0 10 * * *', 'Asia/Kolkata', winter)), '37 4 * * *');
  });

  it('what cannot be converted says why', () => {
    assert.match(problemOf(utcCron('*/15 * * * *', 'UTC', winter)), /single minute and a list of hours/);
    assert.match(problemOf(utcCron('0 6 * * 1-5', 'Asia/Shanghai', winter)), /another day in UTC/);
    assert.match(problemOf(utcCron('0 99 * * *', 'UTC', winter)), /hour field "99"/);
  });

  it('moves every round minute to an odd one that is not a multiple of 5', () => {
    for (let minute = 0; minute < 60; minute++) {
      const moved = offPeakMinute(minute);
      assert.ok(moved >= 0 && moved < 60 && moved % 5 !== 0, `${minute} → ${moved}`);
      if (minute % 5 === 0) assert.equal(moved % 2, 1, `${minute} → ${moved}`);
      else assert.equal(moved, minute);
    }
  });

  it('secret names come from the config’s values, not its comments', () => {
    assert.deepEqual(secretNamesIn('a: ${B}\n# c: ${COMMENT}\nd: ["x ${E:-fallback} ${B}"]\nf:\n  "${KEY}": 1\n'), [
      'B',
      'E',
    ]);
    assert.deepEqual(secretNamesIn('a: [${BROKEN\n# ${COMMENT}\nb: ${OK}\n'), ['OK']);
  });
});

function cronOf(result: ReturnType<typeof utcCron>): string {
  if ('problem' in result) throw new Error(result.problem);
  return result.cron;
}

function problemOf(result: ReturnType<typeof utcCron>): string {
  if ('cron' in result) throw new Error(`converted: ${result.cron}`);
  return result.problem;
}
