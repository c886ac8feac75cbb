/**
 * The contract every store backend passes (src/store/spec.ts): the same tests on a SQLite file and
 * on a PostgreSQL database, each opened through `Store.connect` as the config names it. The
 * PostgreSQL variant needs a server (test/support/postgres.ts): without one it is skipped with one
 * line, and under CI it fails. SQLite-only failures (a full disk, a damaged file, another program's
 * lock) are in store-errors.test.ts; PostgreSQL-only ones in postgres.test.ts.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { type StoreBackendHarness, storeBackends } from '../../test/support/store-backends.js';
import type { DeliveryRecord } from '../core/delivery.js';
import { StoreError } from '../core/errors.js';
import { clearSecrets, registerSecrets } from '../core/redact.js';
import type { Item, SourceConfig, Story } from '../core/types.js';
import { migrationProvider } from './migrations.js';
import type { StoreLocation } from './spec.js';
import { type LlmCallRecord, Store, shiftDate } from './store.js';

function item(overrides: Partial<Item> = {}): Item {
  return {
    id: 'a1',
    sourceId: 'openai-news',
    identity: 'guid:https://openai.com/index/x',
    guid: 'https://openai.com/index/x',
    url: 'https://openai.com/index/x',
    canonicalUrl: 'https://openai.com/index/x',
    title: 'Introducing 大模型 agents',
    text: 'OpenAI introduces a new agents platform for developers. 人工智能平台发布。',
    language: 'en',
    publishedAt: '2026-08-21T07:00:00.000Z',
    fetchedAt: '2026-08-22T02:00:00.000Z',
    authors: ['OpenAI'],
    engagement: { points: 10 },
    tags: ['AI'],
    externalIds: {},
    ...overrides,
  };
}

const delivery = (fields: Partial<DeliveryRecord>): DeliveryRecord => ({
  date: '2026-08-22',
  language: 'zh',
  channel: 'email',
  kind: 'email',
  status: 'sending',
  attempts: 1,
  updatedAt: '2026-08-22T02:00:00.000Z',
  ...fields,
});

const llmCall = (fields: Partial<LlmCallRecord>): LlmCallRecord => ({
  cacheKey: 'k1',
  part: 'story:s1',
  provider: 'openai',
  model: 'm',
  promptVersion: 'llm-1',
  startedAt: '2026-08-22T02:00:00.000Z',
  latencyMs: 12.6,
  inputTokens: 100,
  outputTokens: 20,
  cost: 0.001,
  cacheHit: false,
  outcome: 'ok',
  ...fields,
});

/** A bare kysely connection to a store location, for building a store of an older schema. */
async function kyselyAt(location: StoreLocation): Promise<Kysely<unknown>> {
  if (location.driver === 'postgres') {
    return new Kysely({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: location.url, max: 1 }) }),
    });
  }
  mkdirSync(path.dirname(location.path), { recursive: true });
  return new Kysely({ dialect: new SqliteDialect({ database: new Database(location.path) }) });
}

const storeModule = path.join(path.dirname(fileURLToPath(import.meta.url)), 'store.ts');

/** Opens the store in a separate process, as a second `ai-daily run` would. */
function openInChild(location: StoreLocation): Promise<{ code: number | null; stderr: string }> {
  const script = `const { Store } = await import(${JSON.stringify(storeModule)}); const s = await Store.connect(${JSON.stringify(location)}); await s.close();`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function withStore<T>(location: StoreLocation, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.connect(location);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

for (const backend of storeBackends()) {
  describe(`store contract: ${backend.name}`, backend.skip ? { skip: backend.skip } : {}, () => {
    const harness: StoreBackendHarness = backend;
    let store: Store;
    before(async () => {
      store = await Store.connect(await harness.location());
    });
    after(async () => {
      await store?.close();
      clearSecrets();
      await harness.cleanup();
    });

    it('is the backend the location names', () => {
      assert.equal(store.driver, backend.name);
    });

    it('adds an item once and refreshes its engagement on the second save', async () => {
      assert.deepEqual(await store.saveItems([item()]), { added: 1, seen: 0 });
      assert.deepEqual(await store.saveItems([item({ engagement: { points: 99 } })]), { added: 0, seen: 1 });
      const [stored] = await store.itemsPublishedBetween('2026-08-20T00:00:00Z', '2026-08-23T00:00:00Z');
      assert.equal(stored?.engagement.points, 99);
      assert.equal(stored?.guid, 'https://openai.com/index/x');
      assert.deepEqual(stored, item({ engagement: { points: 99 } }));
      assert.equal(await store.countItems(['openai-news']), 1);
      assert.equal(await store.countItems(['other']), 0);
      assert.equal(await store.countItems([]), 0);
    });

    it('gives counts and sums as numbers (a query module reads the same values on both)', async () => {
      const row = await store.db
        .selectFrom('items')
        .select((eb) => [
          eb.fn.countAll<number>().as('n'),
          eb.fn.sum<number>(eb.fn('length', ['title'])).as('chars'),
          eb.fn.avg<number>(eb.fn('length', ['title'])).as('mean'),
        ])
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { n: 1, chars: 22, mean: 22 }, 'length() counts characters on both');
    });

    it('enforces identity uniqueness per source in the database', async () => {
      await assert.rejects(
        store.db
          .insertInto('items')
          .values({
            id: 'other-id',
            source_id: 'openai-news',
            identity: 'guid:https://openai.com/index/x',
            guid: null,
            url: '',
            canonical_url: '',
            title: '',
            text: '',
            language: 'en',
            published_at: '',
            published_offset: null,
            date_flag: null,
            fetched_at: '',
            authors_json: '[]',
            engagement_json: '{}',
            tags_json: '[]',
            external_ids_json: '{}',
            discussion_url: null,
          })
          .execute(),
        /UNIQUE constraint failed|duplicate key value violates unique constraint/,
      );
    });

    it('a batch that fails stores none of its items, and fails as a StoreError, not as a rollback error', async () => {
      const bad = { ...item({ id: 'b2', identity: 'guid:b2' }), title: null } as unknown as Item;
      await assert.rejects(store.saveItems([item({ id: 'b1', identity: 'guid:b1' }), bad]), (error: unknown) => {
        assert.ok(error instanceof StoreError, `a StoreError, got ${String(error)}`);
        assert.match(error.message, /NOT NULL|not-null/);
        assert.doesNotMatch(error.message, /rollback|no transaction/i);
        return true;
      });
      assert.equal(await store.countItems(['openai-news']), 1);
    });

    it('saves a large batch in one call and reads items back by id, in pages', async () => {
      const many = Array.from({ length: 1203 }, (_, n) =>
        item({
          id: `m${String(n).padStart(5, '0')}`,
          identity: `guid:m${n}`,
          sourceId: 'many',
          title: `Item ${n}`,
          text: `Text ${n}`,
        }),
      );
      assert.deepEqual(await store.saveItems([...many, many[0]!]), { added: 1203, seen: 0 });
      assert.deepEqual(await store.saveItems(many.slice(0, 10)), { added: 0, seen: 10 });
      assert.equal(await store.countItems(['many']), 1203);
      const back = await store.itemsByIds(many.map((i) => i.id));
      assert.equal(back.length, 1203);
      const latest = await store.latestItems('many', 3);
      assert.deepEqual(
        latest.map((i) => i.id),
        ['m00000', 'm00001', 'm00002'],
      );
    });

    it('reads the newest items of a source published in a range, newest first, then by id', async () => {
      const at = (id: string, publishedAt: string) =>
        item({ id, identity: `guid:${id}`, sourceId: 'ranged', publishedAt, title: `Ranged ${id}`, text: '' });
      await store.saveItems([
        at('r1', '2026-07-01T00:00:00.000Z'),
        at('r2', '2026-08-20T10:00:00.000Z'),
        at('r4', '2026-08-21T10:00:00.000Z'),
        at('r3', '2026-08-21T10:00:00.000Z'),
        at('r5', '2026-08-22T02:00:00.000Z'),
      ]);
      const between = { start: '2026-08-01T00:00:00.000Z', end: '2026-08-22T02:00:00.000Z' };
      assert.deepEqual(
        (await store.latestItems('ranged', 10, between)).map((i) => i.id),
        ['r3', 'r4', 'r2'],
        'the start is in, the end is out',
      );
      assert.deepEqual(
        (await store.latestItems('ranged', 2, between)).map((i) => i.id),
        ['r3', 'r4'],
      );
      assert.deepEqual(await store.latestItems('nothing-stored', 10, between), []);
    });

    it('finds items by full-text search: English words, Chinese substrings of two or more characters', async () => {
      assert.equal((await store.searchItems('agents platform'))[0]?.id, 'a1');
      assert.equal((await store.searchItems('AGENTS Platform'))[0]?.id, 'a1', 'case-insensitive');
      assert.equal((await store.searchItems('人工智能平台'))[0]?.id, 'a1');
      assert.equal((await store.searchItems('大模型'))[0]?.id, 'a1', 'a CJK substring of the title');
      assert.equal((await store.searchItems('平台'))[0]?.id, 'a1', 'two characters');
      assert.deepEqual(
        (await store.searchItems(['developers', '发布'])).map((i) => i.id),
        ['a1'],
        'every term, in title or text',
      );
      assert.equal((await store.searchItems(['developers', '没有'])).length, 0);
      assert.equal((await store.searchItems('nothing like this')).length, 0);
      assert.equal((await store.searchItems('100%')).length, 0, 'LIKE wildcards match themselves');
      assert.equal((await store.searchItems('a_ents')).length, 0);
      assert.equal((await store.searchItems('')).length, 0);
    });

    it('keeps the search index right when a seen item is saved again and when a title changes', async () => {
      const [first] = await store.searchItems('agents platform');
      assert.ok(first);
      // A collect that sees the item again refreshes its engagement only: still found, once.
      assert.deepEqual(await store.saveItems([{ ...first, engagement: { points: 999 } }]), { added: 0, seen: 1 });
      assert.deepEqual(
        (await store.searchItems('agents platform')).map((item) => item.id),
        [first.id],
      );
      // A changed title is what the index finds from then on (the index follows title and text).
      await store.db.updateTable('items').set({ title: 'Renamed zebra headline' }).where('id', '=', first.id).execute();
      assert.deepEqual(
        (await store.searchItems('zebra headline')).map((item) => item.id),
        [first.id],
      );
      assert.equal((await store.searchItems('大模型')).length, 0, 'the old title is gone from the index');
      await store.db.updateTable('items').set({ title: first.title }).where('id', '=', first.id).execute();
      assert.equal((await store.searchItems('agents platform'))[0]?.id, first.id);
    });

    it('orders text byte by byte (the same order on both databases)', async () => {
      const sources = ['b', 'a_b', 'a-b', 'B', 'a', 'é', 'z'].map(
        (id): SourceConfig => ({ id, name: id, kind: 'feed', url: `https://example.com/${id}` }) as SourceConfig,
      );
      await store.upsertSources(sources, new Date('2026-08-22T00:00:00Z'));
      assert.deepEqual(
        (await store.sourceHealth()).map((s) => s.id),
        ['B', 'a', 'a-b', 'a_b', 'b', 'z', 'é'],
      );
    });

    it('keeps the fetch log and the health counters of each source', async () => {
      const outcome = {
        id: 'a',
        name: 'a',
        kind: 'feed' as const,
        itemsFound: 3,
        itemsNew: 2,
        itemsSeen: 1,
        elapsedMs: 12.4,
      };
      await store.recordOutcome('run-1', { ...outcome, status: 'ok' }, new Date('2026-08-22T01:00:00Z'));
      await store.recordOutcome(
        'run-1',
        { ...outcome, status: 'failed', errorKind: 'http-status', error: 'HTTP 500', itemsFound: 0, itemsNew: 0 },
        new Date('2026-08-22T02:00:00Z'),
      );
      await store.recordOutcome(
        'run-1',
        { ...outcome, status: 'failed', errorKind: 'timeout', error: 'timed out', itemsFound: 0, itemsNew: 0 },
        new Date('2026-08-22T03:00:00Z'),
      );
      const health = (await store.sourceHealth()).find((s) => s.id === 'a');
      assert.equal(health?.errorCount, 2);
      assert.equal(health?.lastErrorKind, 'timeout');
      assert.equal(health?.lastOkAt, '2026-08-22T01:00:00.000Z');
      const latest = await store.latestOutcomes('2026-08-22T02:30:00.000Z');
      assert.deepEqual(latest, [
        {
          ...outcome,
          status: 'failed',
          errorKind: 'http-status',
          error: 'HTTP 500',
          itemsFound: 0,
          itemsNew: 0,
          itemsSeen: 0,
          elapsedMs: 12,
        },
      ]);
      assert.deepEqual((await store.successfulFetchTimes(['a'])).get('a'), ['2026-08-22T01:00:00.000Z']);
      assert.equal((await store.successfulFetchTimes([])).size, 0);
    });

    it('keeps when each source is next due (next_check_at), its run outcomes and its dead letter', async () => {
      const sources = ['a', 'b', 'c'].map(
        (id): SourceConfig => ({ id, name: id, kind: 'feed', url: `https://example.com/${id}` }) as SourceConfig,
      );
      const at = new Date('2026-08-22T02:00:00Z');
      await store.upsertSources(sources, at);
      const schedule = { intervalMs: 3_600_000, maxIntervalMs: 5 * 3_600_000 };
      const base = { name: 'x', kind: 'feed' as const, itemsFound: 1, itemsNew: 1, itemsSeen: 0, elapsedMs: 5 };
      const failed = { ...base, status: 'failed' as const, errorKind: 'timeout' as const, itemsFound: 0, itemsNew: 0 };
      await store.recordOutcome('r1', { ...base, id: 'a', status: 'ok' }, at, schedule);
      for (let i = 0; i < 3; i++) await store.recordOutcome('r1', { ...failed, id: 'b' }, at, schedule);
      await store.markDeadLettered('b', at);
      const health = new Map((await store.sourceHealth()).map((h) => [h.id, h]));
      assert.equal(health.get('a')?.nextCheckAt, '2026-08-22T03:00:00.000Z', 'an interval after a success');
      // Three failures in a row: 1 h × 2³ = 8 h, capped at 5 h.
      assert.equal(health.get('b')?.nextCheckAt, '2026-08-22T07:00:00.000Z');
      assert.equal(health.get('b')?.deadLetteredAt, '2026-08-22T02:00:00.000Z');
      assert.equal(health.get('c')?.nextCheckAt, undefined, 'never fetched');
      assert.deepEqual(await store.dueSourceIds(['c', 'b', 'a'], new Date('2026-08-22T03:00:00Z')), ['c', 'a']);
      assert.deepEqual(await store.dueSourceIds(['a', 'b', 'c'], new Date('2026-08-22T07:00:00Z')), ['a', 'b', 'c']);
      assert.deepEqual((await store.runOutcomes('r1')).map((o) => [o.id, o.status]).sort(), [
        ['a', 'ok'],
        ['b', 'failed'],
      ]);
      // A success clears the dead letter and starts again at the interval.
      await store.recordOutcome('r2', { ...base, id: 'b', status: 'ok' }, at, schedule);
      const b = (await store.sourceHealth()).find((h) => h.id === 'b');
      assert.equal(b?.deadLetteredAt, undefined);
      assert.equal(b?.nextCheckAt, '2026-08-22T03:00:00.000Z');
      assert.equal(b?.errorCount, 0);
    });

    it('keeps article texts per URL, replaced by a later fetch', async () => {
      await store.saveArticleText({ url: 'https://a/1', status: 'empty', text: '', fetchedAt: 'T1' });
      await store.saveArticleText({ url: 'https://a/1', status: 'ok', text: '正文', fetchedAt: 'T2' });
      assert.deepEqual(
        await store.articleTexts(['https://a/1', 'https://a/2']),
        new Map([['https://a/1', { url: 'https://a/1', status: 'ok', text: '正文', fetchedAt: 'T2' }]]),
      );
      assert.equal((await store.articleTexts([])).size, 0);
    });

    it('keeps published stories for cross-day memory, replacing a re-run of the same date', async () => {
      const story: Story = {
        id: 's1',
        title: 't',
        itemIds: ['a1'],
        sourceIds: ['openai-news'],
        keys: ['url:https://openai.com/index/x'],
        section: 'products',
        score: { recency: 1, authority: 1, coverage: 0, engagement: 0, relevance: 1, newsValue: 1, total: 0.7 },
        firstSeenAt: '2026-08-21T07:00:00.000Z',
      };
      const report = {
        date: '2026-08-22',
        language: 'zh',
        mode: 'extractive',
        generatedAt: '2026-08-22T02:00:00.000Z',
        markdownPath: 'reports/2026/08/2026-08-22.md',
        jsonPath: 'reports/2026/08/2026-08-22.json',
        manifest: {},
        stories: [story, story],
      };
      await store.saveReport(report);
      await store.saveReport(report);
      assert.equal((await store.publishedStoriesBefore('2026-08-22')).length, 0);
      const next = await store.publishedStoriesBefore('2026-08-23');
      assert.equal(next.length, 1);
      assert.deepEqual(next[0]?.itemIds, ['a1']);
      assert.deepEqual(await store.listReports(), [
        {
          report: 'default',
          date: '2026-08-22',
          language: 'zh',
          mode: 'extractive',
          markdownPath: 'reports/2026/08/2026-08-22.md',
        },
      ]);
    });

    it("keeps each report's stories, memory and deliveries apart (reports: in the config)", async () => {
      const story = (id: string, itemId: string): Story => ({
        id,
        title: id,
        itemIds: [itemId],
        sourceIds: ['openai-news'],
        keys: [`url:https://openai.com/index/${id}`],
        section: 'products',
        score: { recency: 1, authority: 1, coverage: 0, engagement: 0, relevance: 1, newsValue: 1, total: 0.7 },
        firstSeenAt: '2026-08-21T07:00:00.000Z',
      });
      const saved = (report: string, language: string, stories: Story[]) => ({
        report,
        date: '2026-08-22',
        language,
        mode: 'extractive',
        generatedAt: '2026-08-22T02:00:00.000Z',
        markdownPath: 'reports/2026/08/2026-08-22.md',
        jsonPath: 'reports/2026/08/2026-08-22.json',
        manifest: {},
        stories,
      });
      await store.saveReport(saved('llm-en', 'en', [story('s1', 'a1')]));
      await store.saveReport(saved('products-zh', 'zh', [story('s2', 'a2'), story('s3', 'a3')]));
      // A re-run of one report replaces its own stories only.
      await store.saveReport(saved('products-zh', 'zh', [story('s2', 'a2')]));
      const memoryOf = async (report: string) =>
        (await store.publishedStoriesBefore('2026-08-23', undefined, report)).map((s) => s.storyId);
      assert.deepEqual(await memoryOf('llm-en'), ['s1']);
      assert.deepEqual(await memoryOf('products-zh'), ['s2']);
      // The default report (saved by the test above) keeps its own story of that date, none of these.
      assert.deepEqual(await memoryOf('default'), ['s1']);
      assert.deepEqual((await store.listReports()).map((r) => `${r.report} ${r.language}`).sort(), [
        'default zh',
        'llm-en en',
        'products-zh zh',
      ]);

      const delivery: DeliveryRecord = {
        date: '2026-08-22',
        language: 'en',
        channel: 'team-slack',
        kind: 'slack',
        status: 'sent',
        attempts: 1,
        updatedAt: '2026-08-22T02:01:00.000Z',
      };
      await store.recordDelivery(delivery, 'llm-en');
      assert.equal((await store.delivery('2026-08-22', 'en', 'team-slack', 'llm-en'))?.status, 'sent');
      assert.equal(await store.delivery('2026-08-22', 'en', 'team-slack', 'products-zh'), undefined);
      assert.equal(await store.delivery('2026-08-22', 'en', 'team-slack'), undefined);
      await store.recordDelivery({ ...delivery, status: 'failed' }, 'products-zh');
      assert.deepEqual(
        (await store.deliveries('2026-08-22', 'en', 'llm-en')).map((d) => d.status),
        ['sent'],
      );
      assert.deepEqual(
        (await store.deliveries('2026-08-22', 'en', 'products-zh')).map((d) => d.status),
        ['failed'],
      );
    });

    it('a store made before reports had ids keeps its reports, memory and deliveries as the default report', async () => {
      const location = await harness.location();
      const db = await kyselyAt(location);
      try {
        const migrated = await new Migrator({ db, provider: migrationProvider(location.driver) }).migrateTo(
          '0005-deliveries',
        );
        assert.equal(migrated.error, undefined);
        await sql`INSERT INTO reports (date, language, mode, generated_at, markdown_path, json_path, manifest_json)
          VALUES ('2026-08-21', 'zh', 'extractive', '2026-08-21T02:00:00.000Z', 'reports/2026/08/2026-08-21.md', 'reports/2026/08/2026-08-21.json', '{}')`.execute(
          db,
        );
        await sql`INSERT INTO report_stories (report_date, story_id, position, section, title, score_json, item_ids_json, keys_json, source_ids_json)
          VALUES ('2026-08-21', 's0', 0, 'llm', 't', '{}', '["a0"]', '[]', '[]')`.execute(db);
        await sql`INSERT INTO deliveries (date, language, channel, kind, status, attempts, updated_at)
          VALUES ('2026-08-21', 'zh', 'team', 'slack', 'sent', 1, '2026-08-21T02:01:00.000Z')`.execute(db);
      } finally {
        await db.destroy();
      }
      const old = await Store.connect(location);
      try {
        assert.deepEqual(
          (await old.listReports()).map((r) => `${r.report} ${r.date} ${r.language}`),
          ['default 2026-08-21 zh'],
        );
        assert.deepEqual(
          (await old.publishedStoriesBefore('2026-08-22')).map((story) => story.storyId),
          ['s0'],
        );
        assert.equal((await old.delivery('2026-08-21', 'zh', 'team'))?.status, 'sent');
        assert.equal(await old.delivery('2026-08-21', 'zh', 'team', 'llm-en'), undefined);
      } finally {
        await old.close();
      }
    });

    it("keeps each language's stories of a report written in two languages on one date (schedule.languages)", async () => {
      const story = (id: string, title: string, itemIds: string[], sourceIds = ['openai-news']): Story => ({
        id,
        title,
        itemIds,
        sourceIds,
        keys: [`url:https://openai.com/index/${id}`],
        section: 'products',
        score: { recency: 1, authority: 1, coverage: 0, engagement: 0, relevance: 1, newsValue: 1, total: 0.7 },
        firstSeenAt: '2026-09-01T07:00:00.000Z',
      });
      const saved = (language: string, stories: Story[]) => ({
        report: 'bilingual',
        date: '2026-09-02',
        language,
        mode: 'extractive',
        generatedAt: '2026-09-02T02:00:00.000Z',
        markdownPath: `bilingual/${language}.md`,
        jsonPath: `bilingual/${language}.json`,
        manifest: {},
        stories,
      });
      await store.saveReport(saved('zh', [story('b1', '模型发布', ['x1']), story('b2', '开源项目', ['x2'])]));
      // The en run of the same date, later: its headlines in its own order, one more source on b2.
      await store.saveReport(
        saved('en', [
          story('b2', 'Open-source project', ['x2', 'x3'], ['gh', 'openai-news']),
          story('b1', 'Model release', ['x1']),
        ]),
      );
      const titles = async (language: string) =>
        (
          await store.db
            .selectFrom('report_stories')
            .select(['story_id', 'title'])
            .where('report_id', '=', 'bilingual')
            .where('language', '=', language)
            .orderBy('position')
            .execute()
        ).map((r) => `${r.story_id} ${r.title}`);
      assert.deepEqual(await titles('zh'), ['b1 模型发布', 'b2 开源项目']);
      assert.deepEqual(await titles('en'), ['b2 Open-source project', 'b1 Model release']);

      // Cross-day memory: each story once, the report's own language's copy first, what the other added after.
      const memory = await store.publishedStoriesBefore('2026-09-03', undefined, 'bilingual', 'zh');
      assert.deepEqual(
        memory.map((s) => [s.storyId, s.itemIds, s.sourceIds]),
        [
          ['b1', ['x1'], ['openai-news']],
          ['b2', ['x2', 'x3'], ['openai-news', 'gh']],
        ],
      );
      const inEnglishFirst = await store.publishedStoriesBefore('2026-09-03', undefined, 'bilingual', 'en');
      assert.deepEqual(
        inEnglishFirst.map((s) => [s.storyId, s.sourceIds]),
        [
          ['b2', ['gh', 'openai-news']],
          ['b1', ['openai-news']],
        ],
      );
      // Without a language: the first by name (en), each story once.
      assert.deepEqual(
        (await store.publishedStoriesBefore('2026-09-03', undefined, 'bilingual')).map((s) => s.storyId),
        ['b2', 'b1'],
      );

      // Saving zh again replaces zh's stories only.
      await store.saveReport(saved('zh', [story('b3', '新故事', ['x4'])]));
      assert.deepEqual(await titles('zh'), ['b3 新故事']);
      assert.deepEqual(await titles('en'), ['b2 Open-source project', 'b1 Model release']);
      assert.deepEqual(
        (await store.publishedStoriesBefore('2026-09-03', undefined, 'bilingual', 'zh')).map((s) => s.storyId),
        ['b3', 'b2', 'b1'],
      );
      assert.deepEqual(
        (await store.listReports())
          .filter((r) => r.report === 'bilingual')
          .map((r) => r.language)
          .sort(),
        ['en', 'zh'],
      );
    });

    it('a store made before stories had a language (0010) gives each date the language of its last run', async () => {
      const location = await harness.location();
      const db = await kyselyAt(location);
      try {
        const migrated = await new Migrator({ db, provider: migrationProvider(location.driver) }).migrateTo(
          '0010-items-fts-deferred',
        );
        assert.equal(migrated.error, undefined);
        const reportRow = (report: string, date: string, language: string, generatedAt: string) =>
          sql`INSERT INTO reports (report_id, date, language, mode, generated_at, markdown_path, json_path, manifest_json)
            VALUES (${report}, ${date}, ${language}, 'extractive', ${generatedAt}, 'r.md', 'r.json', '{}')`.execute(db);
        const storyRow = (report: string, date: string, id: string, title: string) =>
          sql`INSERT INTO report_stories (report_id, report_date, story_id, position, section, title, score_json, item_ids_json, keys_json, source_ids_json)
            VALUES (${report}, ${date}, ${id}, 0, 'llm', ${title}, '{}', '["a0"]', '[]', '[]')`.execute(db);
        const publishedRun = async (id: string, key: object, date: string, at: string) => {
          await sql`INSERT INTO runs (id, run_key, report_date, started_at, finished_at, status, error)
            VALUES (${id}, ${JSON.stringify(key)}, ${date}, ${at}, ${at}, 'done', NULL)`.execute(db);
          await sql`INSERT INTO run_stages (run_id, stage, finished_at, output_json) VALUES (${id}, 'publish', ${at}, '{}')`.execute(
            db,
          );
        };
        // 09-01, default report: zh then en; the rows are the en run's (its publish stage finished last).
        await reportRow('default', '2026-09-01', 'zh', '2026-09-01T02:00:00.000Z');
        await reportRow('default', '2026-09-01', 'en', '2026-09-01T02:00:00.000Z');
        await storyRow('default', '2026-09-01', 's1', 'Model release');
        await publishedRun(
          'r1',
          { date: '2026-09-01', language: 'zh', mode: 'extractive' },
          '2026-09-01',
          '2026-09-01T02:05:00.000Z',
        );
        await publishedRun(
          'r2',
          { date: '2026-09-01', language: 'en', mode: 'extractive' },
          '2026-09-01',
          '2026-09-01T02:09:00.000Z',
        );
        // 09-02, report llm: en then zh by its runs' keys (with the report's id).
        await reportRow('llm', '2026-09-02', 'en', '2026-09-02T02:00:00.000Z');
        await reportRow('llm', '2026-09-02', 'zh', '2026-09-02T02:00:00.000Z');
        await storyRow('llm', '2026-09-02', 's2', '模型');
        await publishedRun(
          'r3',
          { report: 'llm', date: '2026-09-02', language: 'en' },
          '2026-09-02',
          '2026-09-02T02:05:00.000Z',
        );
        await publishedRun(
          'r4',
          { report: 'llm', date: '2026-09-02', language: 'zh' },
          '2026-09-02',
          '2026-09-02T02:06:00.000Z',
        );
        // 09-03: one report row in en, no run.
        await reportRow('default', '2026-09-03', 'en', '2026-09-03T02:00:00.000Z');
        await storyRow('default', '2026-09-03', 's3', 'Paper');
        // 09-04: no report row at all: zh, the config's default language.
        await storyRow('default', '2026-09-04', 's4', '论文');
      } finally {
        await db.destroy();
      }
      const old = await Store.connect(location);
      try {
        const rows = await old.db
          .selectFrom('report_stories')
          .select(['report_id', 'report_date', 'language', 'story_id', 'title'])
          .orderBy('report_date')
          .execute();
        assert.deepEqual(
          rows.map((r) => `${r.report_id} ${r.report_date} ${r.language} ${r.story_id} ${r.title}`),
          [
            'default 2026-09-01 en s1 Model release',
            'llm 2026-09-02 zh s2 模型',
            'default 2026-09-03 en s3 Paper',
            'default 2026-09-04 zh s4 论文',
          ],
        );
        assert.deepEqual(
          (await old.publishedStoriesBefore('2026-09-05', undefined, 'default', 'zh')).map((s) => s.storyId),
          ['s4', 's3', 's1'],
        );
        // The key has the language: the zh run of 09-01 now adds its own stories beside the en run's.
        await old.saveReport({
          date: '2026-09-01',
          language: 'zh',
          mode: 'extractive',
          generatedAt: '2026-09-01T02:00:00.000Z',
          markdownPath: 'r.md',
          jsonPath: 'r.json',
          manifest: {},
          stories: [
            {
              id: 's1',
              title: '模型发布',
              itemIds: ['a0'],
              sourceIds: [],
              keys: [],
              section: 'llm',
              score: { recency: 1, authority: 1, coverage: 0, engagement: 0, relevance: 1, newsValue: 1, total: 0.7 },
              firstSeenAt: '2026-09-01T00:00:00.000Z',
            },
          ],
        });
        assert.equal(
          (
            await old.db
              .selectFrom('report_stories')
              .select('title')
              .where('report_date', '=', '2026-09-01')
              .orderBy('language')
              .execute()
          )
            .map((r) => r.title)
            .join(' | '),
          'Model release | 模型发布',
        );
      } finally {
        await old.close();
      }
    });

    it('a store made before batched indexing (0009) keeps its search right: old items, new ones, a delete, an update', async () => {
      const location = await harness.location();
      const db = await kyselyAt(location);
      const rowOf = (n: number, title: string) => ({
        id: `old${n}`,
        source_id: 'old-source',
        identity: `guid:old${n}`,
        guid: null,
        url: `https://old.example/${n}`,
        canonical_url: `https://old.example/${n}`,
        title,
        text: `Body of old item ${n}.`,
        language: 'en',
        published_at: `2026-08-2${n}T07:00:00.000Z`,
        published_offset: null,
        date_flag: null,
        fetched_at: '2026-08-22T02:00:00.000Z',
        authors_json: '[]',
        engagement_json: '{}',
        tags_json: '[]',
        external_ids_json: '{}',
        discussion_url: null,
      });
      try {
        const migrated = await new Migrator({ db, provider: migrationProvider(location.driver) }).migrateTo(
          '0008-items-fts-on-text-change',
        );
        assert.equal(migrated.error, undefined);
        await db
          .insertInto('items' as never)
          .values([
            rowOf(1, 'Walrus kernels ship'),
            rowOf(2, 'Narwhal compiler lands'),
            rowOf(3, 'Ocelot chips'),
          ] as never)
          .execute();
      } finally {
        await db.destroy();
      }
      await withStore(location, async (s) => {
        const found = async (term: string) => (await s.searchItems(term)).map((i) => i.id);
        assert.deepEqual(await found('walrus kernels'), ['old1'], 'indexed before the migration, found after it');
        assert.deepEqual(await found('old item'), ['old3', 'old2', 'old1']);
        // The newest row goes, so the next batch's first row may take its rowid again (SQLite).
        await s.db.deleteFrom('items').where('id', '=', 'old3').execute();
        await s.db.deleteFrom('items').where('id', '=', 'old2').execute();
        await s.db
          .updateTable('items')
          .set({ title: 'Walrus kernels renamed to Beluga' })
          .where('id', '=', 'old1')
          .execute();
        assert.deepEqual(await found('narwhal'), [], 'a deleted item is gone from the index');
        assert.deepEqual(await found('ocelot'), []);
        assert.deepEqual(await found('beluga'), ['old1'], 'an updated title is found');
        assert.deepEqual(await found('walrus kernels ship'), [], 'and its old title is not');
        assert.deepEqual(
          await s.saveItems([
            item({ id: 'n1', sourceId: 'old-source', identity: 'guid:n1', title: 'Ocelot returns', text: 'New.' }),
            item({ id: 'n2', sourceId: 'old-source', identity: 'guid:n2', title: 'Capybara agents', text: 'New.' }),
          ]),
          { added: 2, seen: 0 },
        );
        assert.deepEqual(await found('ocelot'), ['n1'], 'a rowid used again is indexed with its new row only');
        assert.deepEqual(await found('capybara'), ['n2']);
        assert.deepEqual(await found('narwhal'), []);
        // A row written outside saveItems is still indexed (the insert trigger).
        await s.db
          .insertInto('items')
          .values({ ...rowOf(4, 'Pangolin robotics'), id: 'direct' })
          .execute();
        assert.deepEqual(await found('pangolin'), ['direct']);
        // Saved again with one new item: the seen ones are not indexed twice.
        await s.saveItems([
          item({ id: 'n2', sourceId: 'old-source', identity: 'guid:n2', title: 'Capybara agents', text: 'New.' }),
          item({ id: 'n3', sourceId: 'old-source', identity: 'guid:n3', title: 'Capybara tools', text: 'New.' }),
        ]);
        assert.deepEqual(await found('capybara'), ['n2', 'n3']);
        if (s.driver === 'sqlite') {
          // FTS5's own check of the index against the items table (rank 1: the external content too).
          await sql`INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)`.execute(s.db);
        }
      });
    });

    it('resumes an unfinished run with its finished stages, and starts afresh after a finished one', async () => {
      const now = new Date('2026-08-22T02:00:00Z');
      const first = await store.beginRun('k', '2026-08-22', now);
      assert.equal(first.resumed, false);
      await store.saveStage(first.id, 'collect', { sources: 3 }, now);
      await store.saveStage(first.id, 'collect', { sources: 4 }, now);
      const resumed = await store.beginRun('k', '2026-08-22', now);
      assert.equal(resumed.id, first.id);
      assert.deepEqual(resumed.stages.get('collect'), { sources: 4 });
      await store.finishRun(first.id, 'done', now);
      const fresh = await store.beginRun('k', '2026-08-22', new Date('2026-08-22T03:00:00Z'));
      assert.notEqual(fresh.id, first.id);
      assert.equal(fresh.stages.size, 0);
      assert.deepEqual(
        (await store.listRuns()).map((r) => [r.id, r.status]),
        [
          [fresh.id, 'running'],
          [first.id, 'done'],
        ],
      );
    });

    it('stores HTTP validators per URL', async () => {
      await store.saveValidators(new Map([['https://a/feed', { etag: '"x"' }]]), new Date());
      await store.saveValidators(new Map([['https://a/feed', { etag: '"y"', lastModified: 'Sat' }]]), new Date());
      assert.deepEqual((await store.loadValidators()).get('https://a/feed'), { etag: '"y"', lastModified: 'Sat' });
    });

    it('keeps every LLM call and finds the latest good answer for a key, never a failure or a cache hit', async () => {
      const location = await harness.location();
      await withStore(location, async (s) => {
        assert.equal(await s.findLlmAnswer('k1'), undefined);
        await s.recordLlmCall(llmCall({ outcome: 'error', error: 'HTTP 500', inputTokens: 0, outputTokens: 0 }));
        await s.recordLlmCall(llmCall({ outcome: 'invalid-output', answer: undefined }));
        assert.equal(await s.findLlmAnswer('k1'), undefined);
        await s.recordLlmCall(llmCall({ answer: '{"a":1}' }));
        await s.recordLlmCall(llmCall({ answer: '{"a":2}', outcome: 'repaired', inputTokens: 150 }));
        await s.recordLlmCall(llmCall({ answer: '{"a":3}', cacheHit: true, cost: 0 }));
        assert.deepEqual(await s.findLlmAnswer('k1'), { answer: '{"a":2}', inputTokens: 150, outputTokens: 20 });
        assert.equal(await s.findLlmAnswer('k2'), undefined);
      });
      // Reopened: the calls are still there, in order, with what each cost (a double, exactly).
      await withStore(location, async (s) => {
        const calls = await s.llmCalls();
        assert.deepEqual(
          calls.map((c) => [c.outcome, c.cacheHit, c.latencyMs, c.cost]),
          [
            ['error', false, 13, 0.001],
            ['invalid-output', false, 13, 0.001],
            ['ok', false, 13, 0.001],
            ['repaired', false, 13, 0.001],
            ['ok', true, 13, 0],
          ],
        );
        assert.equal(calls[0]!.error, 'HTTP 500');
        assert.equal((await s.llmCalls('2026-08-22T03:00:00.000Z')).length, 0);
      });
    });

    it('keeps one delivery row per date, language and channel, replaced by each write, and survives reopening', async () => {
      const location = await harness.location();
      await withStore(location, async (s) => {
        assert.equal(await s.delivery('2026-08-22', 'zh', 'email'), undefined);
        await s.recordDelivery(delivery({}));
        await s.recordDelivery(delivery({ channel: 'slack', kind: 'slack', status: 'failed', detail: 'HTTP 500' }));
        await s.recordDelivery(delivery({ language: 'en' }));
        await s.recordDelivery(delivery({ date: '2026-08-23' }));
        await s.recordDelivery(
          delivery({ status: 'sent', messageId: '<m1@example.com>', detail: '6 top stories', updatedAt: 'T2' }),
        );
        assert.deepEqual(await s.delivery('2026-08-22', 'zh', 'email'), {
          ...delivery({}),
          status: 'sent',
          messageId: '<m1@example.com>',
          detail: '6 top stories',
          updatedAt: 'T2',
        });
      });
      await withStore(location, async (s) => {
        assert.deepEqual(
          (await s.deliveries('2026-08-22')).map((r) => [r.language, r.channel, r.status]),
          [
            ['en', 'email', 'sending'],
            ['zh', 'email', 'sent'],
            ['zh', 'slack', 'failed'],
          ],
        );
        assert.deepEqual(
          (await s.deliveries('2026-08-22', 'zh')).map((r) => r.channel),
          ['email', 'slack'],
        );
        // A row without a message id or detail reads back without those keys (not null).
        const sending = await s.delivery('2026-08-22', 'en', 'email');
        assert.ok(sending && !('messageId' in sending) && !('detail' in sending));
        assert.deepEqual(await s.deliveries('2026-08-24'), []);
      });
    });

    it('never stores a secret in a delivery detail', async () => {
      registerSecrets(['s3cret-smtp-password']);
      await store.recordDelivery(
        delivery({ status: 'failed', detail: 'login as bot with s3cret-smtp-password refused (535)' }),
      );
      assert.equal((await store.delivery('2026-08-22', 'zh', 'email'))?.detail, 'login as bot with *** refused (535)');
    });

    it('a read-only store (a reader such as the web app) reads, and refuses every write as "read-only"', async () => {
      const location = await harness.location();
      await withStore(location, (s) => s.saveItems([item()]));
      const reader = await Store.connect(location, { readOnly: true });
      const writer = await Store.connect(location);
      try {
        assert.equal((await reader.searchItems('平台'))[0]?.id, 'a1');
        // What another connection writes meanwhile is read (SQLite: WAL).
        await writer.saveItems([item({ id: 'w1', identity: 'guid:w1', title: 'written meanwhile' })]);
        assert.equal((await reader.searchItems('meanwhile'))[0]?.id, 'w1');
        await assert.rejects(reader.saveItems([item({ id: 'a2', identity: 'guid:a2' })]), (error: unknown) => {
          assert.ok(error instanceof StoreError, `a StoreError, got ${String(error)}`);
          assert.equal(error.problem, 'read-only');
          return true;
        });
        await assert.rejects(reader.recordDelivery(delivery({})), /read-only|readonly/);
        assert.equal(await reader.countItems(), 2);
      } finally {
        await writer.close();
        await reader.close();
      }
    });

    it('migrates a new store once: every process opens it, none fails on tables another created', async () => {
      const location = await harness.location();
      const results = await Promise.all(Array.from({ length: 6 }, () => openInChild(location)));
      for (const result of results) assert.equal(result.code, 0, result.stderr);
      await withStore(location, async (s) => assert.equal(await s.countItems(), 0));
    });

    it('a store written by a newer version (a migration this version does not know) is named, not migrated', async () => {
      const location = await harness.location();
      await withStore(location, async (s) => {
        await s.db
          .withTables<{ kysely_migration: { name: string; timestamp: string } }>()
          .insertInto('kysely_migration')
          .values({ name: '9001-future-table', timestamp: '2030-01-01T00:00:00.000Z' })
          .execute();
      });
      await assert.rejects(Store.connect(location), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.problem, 'newer');
        assert.match(error.message, /was written by a newer version of ai-daily \(schema 9001-future-table;/);
        return true;
      });
    });

    it("another program's database is refused before anything is written to it", async () => {
      const location = await harness.location();
      await withStore(location, async (s) => {
        await s.db.schema.dropTable('deliveries').execute();
        await s.db.schema.dropTable('kysely_migration').execute();
      });
      await assert.rejects(Store.connect(location), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.problem, 'not-a-store');
        assert.match(error.message, /is another program's (SQLite|PostgreSQL) database \(its tables: article_texts, /);
        return true;
      });
    });
  });
}

describe('shiftDate', () => {
  it('moves across month and year ends', () => {
    assert.equal(shiftDate('2026-03-01', -1), '2026-02-28');
    assert.equal(shiftDate('2026-12-31', 1), '2027-01-01');
  });
});
