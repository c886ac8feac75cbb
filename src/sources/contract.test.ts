/**
 * The contract every connector keeps: a description, params that validate, `collect` on its own
 * example gives usable RawItems from a fake fetch, and a failed fetch surfaces as a FetchError.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { realText, repoRoot } from '../../test/support/fixtures.js';
import { PRESETS } from '../config/presets.js';
import { FetchError } from '../core/errors.js';
import { SOURCE_KINDS, type SourceConfig, type SourceKind } from '../core/types.js';
import type { FetchDocument, FetchedDocument } from '../http/types.js';
import { CONNECTORS, getConnector, validateSourceParams } from './registry.js';

const ownFixture = (name: string) => readFileSync(path.join(repoRoot, 'test/fixtures/sources', name), 'utf8');

/** Bodies by scheme + host + path (queries vary with the clock), reusing real captures where one fits. */
const BODIES: Record<string, () => string> = {
  'https://openai.com/news/rss.xml': () => realText('rss/openai-news_2026-08-20_trimmed.xml'),
  'https://rss.arxiv.org/rss/cs.AI': () => realText('arxiv/arxiv-rss_cs.AI_2026-04-27_trimmed.xml'),
  'https://hn.algolia.com/api/v1/search_by_date': () => ownFixture('hn-algolia-search_by_date.json'),
  'https://github.com/trending': () => realText('github/github-trending_2023-05.html'),
  'https://huggingface.co/api/daily_papers': () => realText('huggingface/hf-api-daily_papers_date-2026-08-21.json'),
  'https://www.reddit.com/r/MachineLearning/top.json': () => realText('reddit/reddit-listing_r-test_new_2020.json'),
  'https://example.com/news/': () => ownFixture('html-list-page.html'),
};

function document(url: string, text: string): FetchedDocument {
  return {
    requestUrl: url,
    url,
    status: 200,
    headers: {},
    notModified: false,
    byteLength: Buffer.byteLength(text),
    text,
    charset: 'utf-8',
    charsetSource: 'utf-8-valid',
    elapsedMs: 0,
  };
}

/** A fetch that answers from BODIES and records what was asked. */
function fakeFetch(requested: string[]): FetchDocument {
  return async (url) => {
    requested.push(url);
    const parsed = new URL(url);
    const body = BODIES[`${parsed.origin}${parsed.pathname}`];
    if (!body) throw new FetchError('dns', `fake fetch: no body for ${url}`, { url });
    return document(url, body());
  };
}

const failingFetch: FetchDocument = async (url) => {
  throw new FetchError('dns', 'getaddrinfo ENOTFOUND', { url, isRetryable: true });
};

function exampleSource(kind: SourceKind): SourceConfig {
  const connector = getConnector(kind);
  return {
    id: `example-${kind}`,
    name: `Example ${kind}`,
    kind,
    url: connector.example.url,
    authority: 0.5,
    section: 'llm',
    enabled: true,
    filterTopics: false,
    params: connector.example.params as Record<string, unknown>,
  };
}

const NOW = new Date('2026-08-22T02:00:00Z');

describe('connector contract', () => {
  it('registers one connector per source kind, under its own kind', () => {
    assert.deepEqual(Object.keys(CONNECTORS).sort(), [...SOURCE_KINDS].sort());
    for (const kind of SOURCE_KINDS) assert.equal(getConnector(kind).kind, kind);
  });

  for (const kind of SOURCE_KINDS) {
    describe(kind, () => {
      const connector = getConnector(kind);

      it('has a one-line description', () => {
        assert.ok(connector.description.trim().length > 10);
        assert.ok(!connector.description.includes('\n'));
      });

      it('accepts its example params', () => {
        const result = connector.paramsSchema.safeParse(connector.example.params);
        assert.ok(result.success, result.success ? '' : JSON.stringify(result.error.issues));
      });

      it('collects usable raw items from its example', async () => {
        const requested: string[] = [];
        const source = exampleSource(kind);
        const items = await connector.collect({
          source,
          params: connector.paramsSchema.parse(source.params),
          fetch: fakeFetch(requested),
          now: NOW,
          warn: () => {},
        });
        assert.ok(requested.length > 0, 'collect fetched nothing');
        assert.ok(items.length > 0, 'collect returned no items');
        for (const item of items) {
          assert.equal(typeof item.title, 'string');
          assert.ok(item.title.trim().length > 0, `empty title in ${JSON.stringify(item)}`);
          assert.ok(item.url || item.guid, `neither url nor guid in ${JSON.stringify(item)}`);
          for (const value of Object.values(item.engagement ?? {})) {
            assert.equal(typeof value, 'number');
            assert.ok(Number.isFinite(value));
          }
          if (item.published !== undefined) assert.equal(typeof item.published, 'string');
        }
      });

      it('lets a failed fetch propagate as a FetchError', async () => {
        const source = exampleSource(kind);
        await assert.rejects(
          connector.collect({
            source,
            params: connector.paramsSchema.parse(source.params),
            fetch: failingFetch,
            now: NOW,
            warn: () => {},
          }),
          (error: unknown) => error instanceof FetchError && error.kind === 'dns',
        );
      });
    });
  }

  it('validates the params of every source of the ai preset', () => {
    const sources: SourceConfig[] = (PRESETS.ai?.sources ?? []).map((preset) => ({
      enabled: true,
      filterTopics: false,
      ...preset,
      // The loader expands ${GITHUB_TOKEN:-} to the variable or '' before validation.
      params: JSON.parse(JSON.stringify(preset.params ?? {}).replace(/\$\{[A-Z_]+:-\}/g, '')),
    }));
    assert.ok(sources.length > 20);
    assert.deepEqual(validateSourceParams(sources), []);
  });

  it('reports bad params as sources.<id>.params.<field> lines', () => {
    const base = exampleSource('hackernews');
    const problems = validateSourceParams([
      { ...base, id: 'hn', params: { minPoints: 'lots' } },
      { ...base, id: 'gh', kind: 'github', params: { mode: 'trending', aiOnyl: true } },
      { ...base, id: 'page', kind: 'html', params: {} },
      { ...base, id: 'ok', kind: 'feed', params: {} },
    ]);
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0] ?? '', /^sources\.hn\.params\.minPoints: /);
    assert.match(problems[1] ?? '', /^sources\.gh\.params: unknown param "aiOnyl"/);
    assert.match(problems[2] ?? '', /^sources\.page\.params\.item: /);
  });
});
