/**
 * Several reports in one deployment (`reports:`), on the recorded day 2026-08-22: an English report
 * of labs' research and papers and a Chinese report of products, from one collection. Each report
 * reads only its own sources' items, the sources they read are fetched once (and no other source
 * of the preset at all), each writes its own folder, index and feeds, keeps its own memory, and
 * posts to its own channel once through its own rows of the delivery ledger.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { doctorCommand } from '../../src/cli/commands/doctor.js';
import { publishCommand } from '../../src/cli/commands/publish.js';
import { runCommand, runReportsCommand } from '../../src/cli/commands/run.js';
import { scheduleCommand } from '../../src/cli/commands/schedule.js';
import { exitCodeFor } from '../../src/cli/main.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { Store } from '../../src/store/store.js';
import { runCli } from '../support/cli.js';
import { dayFile } from '../support/fixtures.js';
import { git, makeSiteRepos, remoteFiles, remoteSubjects } from '../support/git-repos.js';
import { createTestDatabase, postgresSkip, type TestDatabase } from '../support/postgres.js';

const LLM_SOURCES = ['openai-research', 'anthropic-news', 'meta-ai', 'huggingface-daily-papers'];
const PRODUCT_SOURCES = ['openai-news', 'google-ai-blog', 'the-verge-ai', 'huggingface-blog'];

describe('several reports from one collection (a recorded day)', () => {
  let dir: string;
  let server: Server;
  const posts: { path: string; body: string }[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-reports-'));
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString('utf8');
      });
      request.on('end', () => {
        posts.push({ path: request.url ?? '', body });
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    writeFileSync(
      path.join(dir, 'ai-daily.config.yaml'),
      [
        'http:',
        `  allowHosts: ["127.0.0.1:${port}"]`,
        'publish:',
        '  channels:',
        `    - { kind: slack, id: research-team, url: "http://127.0.0.1:${port}/research" }`,
        'reports:',
        '  - id: llm-en',
        '    language: en',
        '    title: Research and papers',
        `    sources: [${LLM_SOURCES.join(', ')}]`,
        '  - id: products-zh',
        '    language: zh',
        '    title: 产品动态',
        `    sources: [${PRODUCT_SOURCES.join(', ')}]`,
        '    channels:',
        `      - { kind: slack, id: product-team, url: "http://127.0.0.1:${port}/products" }`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const run = () => runReportsCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-08-22') });

  it('writes each report from its own sources, in its own folder, fetching each source once', async () => {
    const summaries = await run();
    assert.deepEqual(
      summaries.map((s) => [s.report, s.folder, s.language, s.date]),
      [
        ['llm-en', 'llm-en', 'en', '2026-08-22'],
        ['products-zh', 'products-zh', 'zh', '2026-08-22'],
      ],
    );
    for (const [summary, own] of [
      [summaries[0], LLM_SOURCES],
      [summaries[1], PRODUCT_SOURCES],
    ] as const) {
      assert.ok(summary);
      // The report's own files, index and feeds, in its own folder; paths relative to that folder.
      assert.equal(summary.markdown, 'reports/2026/08/2026-08-22.md');
      for (const file of summary.files) assert.ok(existsSync(path.join(dir, 'out', summary.report, file)), file);
      assert.ok(summary.files.includes('reports/index.html') && summary.files.includes('reports/feed.xml'));
      const report = JSON.parse(readFileSync(path.join(dir, 'out', summary.report, summary.json), 'utf8')) as Report;
      // Its "sources" section lists its own sources only, each answered.
      assert.deepEqual(report.manifest.sources.map((source) => source.id).sort(), [...own].sort());
      assert.equal(summary.sources.failed, 0);
      assert.ok(summary.counts.selected > 0, `${summary.report} has stories`);
    }
    assert.ok(!existsSync(path.join(dir, 'out', 'reports')), 'no default report at the root');
    const english = readFileSync(path.join(dir, 'out/llm-en', summaries[0]!.markdown), 'utf8');
    const chinese = readFileSync(path.join(dir, 'out/products-zh', summaries[1]!.markdown), 'utf8');
    assert.match(english, /Research and papers/);
    assert.match(chinese, /产品动态/);
    assert.match(chinese, /## 今日重点/);

    // Each report's stories come from its own sources only (the store's memory of each report).
    const store = await Store.open(path.join(dir, 'data/ai-daily.db'));
    try {
      for (const [id, own] of [
        ['llm-en', LLM_SOURCES],
        ['products-zh', PRODUCT_SOURCES],
      ] as const) {
        const stories = await store.publishedStoriesBefore('2026-08-23', undefined, id);
        assert.ok(stories.length > 0);
        for (const story of stories) {
          for (const source of story.sourceIds) assert.ok(own.includes(source), `${id}: ${source}`);
        }
      }
      assert.deepEqual(await store.publishedStoriesBefore('2026-08-23'), [], 'nothing for a default report');
      // The store's rows name each report and its files relative to the output folder (for the web app).
      assert.deepEqual((await store.listReports()).map((r) => `${r.report} ${r.language} ${r.markdownPath}`).sort(), [
        'llm-en en llm-en/reports/2026/08/2026-08-22.md',
        'products-zh zh products-zh/reports/2026/08/2026-08-22.md',
      ]);
    } finally {
      await store.close();
    }

    // One collection: each source the reports read was fetched once; the preset's others not at all.
    const db = new Database(path.join(dir, 'data/ai-daily.db'), { readonly: true });
    try {
      const fetched = db.prepare('SELECT source_id, count(*) AS n FROM fetch_log GROUP BY source_id').all() as {
        source_id: string;
        n: number;
      }[];
      assert.deepEqual(fetched.map((row) => row.source_id).sort(), [...LLM_SOURCES, ...PRODUCT_SOURCES].sort());
      assert.ok(fetched.every((row) => row.n === 1));
    } finally {
      db.close();
    }

    // Each report posted to its own channel, once.
    assert.deepEqual(posts.map((post) => post.path).sort(), ['/products', '/research']);
    assert.match(posts.find((post) => post.path === '/research')?.body ?? '', /Research and papers/);
  });

  it('a second run posts nothing again; --report runs one report; publish names the report', async () => {
    const again = await run();
    assert.deepEqual(
      again.map((s) => s.publish?.channels.map((c) => `${c.channel} ${c.status}`)),
      [['research-team already-sent'], ['product-team already-sent']],
    );
    assert.equal(posts.length, 2);

    const one = await runCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-08-22'), report: 'products-zh' });
    assert.equal(one.report, 'products-zh');
    assert.equal(posts.length, 2);

    const published = await publishCommand({
      cwd: dir,
      log: silentLogger,
      report: 'llm-en',
      date: '2026-08-22',
      lang: 'en',
    });
    assert.equal(published.report, 'llm-en');
    assert.deepEqual(
      published.channels.map((c) => c.status),
      ['already-sent'],
    );

    // doctor checks the shared channels and each report's own, named by its report.
    const doctor = await doctorCommand({ cwd: dir, log: silentLogger });
    assert.deepEqual(
      doctor.publish.map((check) => `${check.name} ${check.problems.length}`),
      ['research-team 0', 'products-zh/product-team 0'],
    );

    // With several reports, a command that makes one must be told which (a usage error, exit 2).
    const refused = await runCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-08-22') }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.equal(exitCodeFor(refused), 2);
    assert.match(String(refused), /several reports \(llm-en, products-zh\): name one with --report/);
    const unknown = await runReportsCommand({ cwd: dir, log: silentLogger, report: 'robotics' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.equal(exitCodeFor(unknown), 2);
    assert.match(String(unknown), /--report: no report "robotics" in the config \(its reports: llm-en, products-zh\)/);
  });
});

describe('several reports published to one git work tree, and on schedule', () => {
  let dir: string;
  let remote: string;
  let site: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-reports-git-'));
    ({ remote, site } = makeSiteRepos(dir));
    writeFileSync(
      path.join(dir, 'ai-daily.config.yaml'),
      [
        `output: { dir: ${JSON.stringify(site)} }`,
        'publish:',
        '  git: { authorName: ai-daily bot, authorEmail: bot@example.invalid, message: "{report}: {date} ({language})" }',
        'schedule: { cron: "0 10 * * *" }',
        'reports:',
        '  - id: default',
        `    sources: [${PRODUCT_SOURCES.join(', ')}]`,
        '  - id: llm-en',
        '    language: en',
        `    sources: [${LLM_SOURCES.join(', ')}]`,
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('each report commits exactly its own files in its own folder; default keeps the root', async () => {
    const summaries = await runReportsCommand({ cwd: dir, log: silentLogger, replay: dayFile('2026-08-22') });
    assert.deepEqual(
      summaries.map((s) => [s.report, s.folder]),
      [
        ['default', ''],
        ['llm-en', 'llm-en'],
      ],
    );
    assert.deepEqual(remoteSubjects(remote), ['llm-en: 2026-08-22 (en)', 'default: 2026-08-22 (zh)', 'seed']);
    const files = remoteFiles(remote);
    assert.ok(files.includes('reports/2026/08/2026-08-22.md'), 'the default report at the root');
    assert.ok(files.includes('llm-en/reports/2026/08/2026-08-22.md'), 'the other in its folder');
    assert.ok(files.includes('llm-en/reports/feed.xml') && files.includes('reports/feed.xml'), 'a feed each');
    assert.deepEqual(
      git(remote, 'show', '--name-only', '--format=', 'main')
        .split('\n')
        .filter(Boolean)
        .every((file) => file.startsWith('llm-en/')),
      true,
      "the last commit holds only llm-en's files",
    );
    // The root index lists the default report only; the other has its own.
    const rootIndex = readFileSync(path.join(site, 'reports/_index.md'), 'utf8');
    assert.ok(!rootIndex.includes('2026-08-22.en'), 'no other report in the root index');
  });

  it('the scheduler makes every report of a missed day, then finds nothing missed', async () => {
    const fresh = mkdtempSync(path.join(tmpdir(), 'ai-daily-reports-schedule-'));
    try {
      writeFileSync(
        path.join(fresh, 'ai-daily.config.yaml'),
        readFileSync(path.join(dir, 'ai-daily.config.yaml'), 'utf8')
          .replace(/^output: .*\n/m, '')
          .replace(/^publish:\n.*\n/m, ''),
      );
      const schedule = () =>
        scheduleCommand({ cwd: fresh, log: silentLogger, catchUpOnly: true, replay: dayFile('2026-08-22') });
      const first = await schedule();
      assert.deepEqual(
        first.runs.map((run) => run.date),
        ['2026-08-22'],
      );
      assert.ok(existsSync(path.join(fresh, 'out/reports/2026/08/2026-08-22.md')), 'the default report');
      assert.ok(existsSync(path.join(fresh, 'out/llm-en/reports/2026/08/2026-08-22.md')), 'the other report');
      assert.deepEqual((await schedule()).runs, []);
      const lang = await scheduleCommand({ cwd: fresh, log: silentLogger, catchUpOnly: true, lang: 'en' }).then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.equal(exitCodeFor(lang), 2);
      assert.match(String(lang), /--lang: with reports: in the config, each report is written in its own language/);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});

describe('one report failing does not stop the others (the real CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-reports-fail-'));
    writeFileSync(
      path.join(dir, 'ai-daily.config.yaml'),
      [
        'reports:',
        // arXiv is not in the recorded day: this report has nothing to report.
        '  - id: papers',
        '    sources: [arxiv-cs-ai]',
        '  - id: products',
        `    sources: [${PRODUCT_SOURCES.join(', ')}]`,
        '',
      ].join('\n'),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the others, lists every report in --json, and exits with the failure code', async () => {
    const result = await runCli(['run', '--replay', dayFile('2026-08-22'), '--json', '--quiet'], dir);
    assert.equal(result.code, 3, result.stderr);
    const listed = JSON.parse(result.stdout) as { report: string; error?: string; markdown?: string }[];
    assert.deepEqual(
      listed.map((entry) => [entry.report, entry.error === undefined]),
      [
        ['products', true],
        ['papers', false],
      ],
    );
    assert.match(listed[1]?.error ?? '', /nothing to report for 2026-08-22/);
    assert.ok(existsSync(path.join(dir, 'out/products', listed[0]?.markdown ?? '-')));
    assert.match(result.stderr, /1 of 2 reports failed:\n {2}- papers: nothing to report/);
  });
});

describe('several reports on a PostgreSQL store', postgresSkip() ? { skip: postgresSkip() } : {}, () => {
  let dir: string;
  let database: TestDatabase | undefined;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-reports-pg-'));
  });
  after(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives each report the same bytes as on SQLite, with its own memory', async () => {
    database = await createTestDatabase();
    const reports = [
      'reports:',
      '  - id: llm-en',
      '    language: en',
      `    sources: [${LLM_SOURCES.join(', ')}]`,
      '  - id: products-zh',
      `    sources: [${PRODUCT_SOURCES.join(', ')}]`,
      '',
    ].join('\n');
    const written: Record<string, string> = {};
    for (const [name, store] of [
      ['sqlite', ''],
      ['postgres', `store: { driver: postgres, url: ${JSON.stringify(database.url)} }\n`],
    ] as const) {
      const cwd = path.join(dir, name);
      mkdirSync(cwd);
      writeFileSync(path.join(cwd, 'ai-daily.config.yaml'), store + reports);
      const summaries = await runReportsCommand({ cwd, log: silentLogger, replay: dayFile('2026-08-22') });
      for (const summary of summaries) {
        for (const file of [summary.markdown, summary.json]) {
          const text = readFileSync(path.join(cwd, 'out', summary.folder, file), 'utf8');
          const key = `${summary.report}/${file}`;
          if (name === 'sqlite') written[key] = text;
          else assert.equal(text, written[key], `${key} differs on PostgreSQL`);
        }
      }
    }
    assert.equal(Object.keys(written).length, 4);
    const store = await Store.connect({ driver: 'postgres', url: database.url });
    try {
      for (const [id, own] of [
        ['llm-en', LLM_SOURCES],
        ['products-zh', PRODUCT_SOURCES],
      ] as const) {
        const stories = await store.publishedStoriesBefore('2026-08-23', undefined, id);
        assert.ok(stories.length > 0);
        assert.ok(stories.every((story) => story.sourceIds.every((source) => own.includes(source))));
      }
    } finally {
      await store.close();
    }
  });
});
