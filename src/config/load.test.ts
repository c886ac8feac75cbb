import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../test/support/fixtures.js';
import { ConfigError } from '../core/errors.js';
import { loadConfig, resolveConfig } from './load.js';
import { PRESETS } from './presets.js';
import { configTemplate } from './template.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  assert.fail('expected a ConfigError');
}

describe('config', () => {
  it('defaults to the ai preset, Asia/Shanghai, zh and a 48 h window', () => {
    const config = resolveConfig({});
    assert.equal(config.timezone, 'Asia/Shanghai');
    assert.equal(config.language, 'zh');
    assert.equal(config.window.hours, 48);
    assert.equal(config.sources.length, PRESETS.ai!.sources.length);
    assert.ok(config.topics.includes('llm'));
  });

  it("validates the ranking settings and keeps a source's snapshot flag", () => {
    const config = resolveConfig({
      ranking: { weights: { engagement: 0.5 }, topMaxPapers: 0 },
      sources: [{ id: 'trending-feed', kind: 'feed', url: 'https://example.com/trending.xml', snapshot: true }],
    });
    assert.equal(config.ranking.weights.engagement, 0.5);
    assert.equal(config.ranking.weights.authority, 0.25);
    assert.equal(config.ranking.topMaxPapers, 0);
    assert.equal(config.ranking.topMaxPerFamily, 1);
    assert.equal(config.sources.find((s) => s.id === 'trending-feed')!.snapshot, true);
    const problems = problemsOf(() =>
      resolveConfig({
        ranking: {
          weights: { recency: 0, authority: 0, coverage: 0, engagement: 0, relevance: 0 },
          topMaxPerSource: 0,
          bogus: 1,
        },
      }),
    );
    assert.ok(
      problems.some((p) => p.startsWith('ranking.weights: at least one weight must be above 0')),
      problems.join('\n'),
    );
    assert.ok(problems.some((p) => p.startsWith('ranking.topMaxPerSource: ')));
    assert.ok(problems.some((p) => p.includes('bogus')));
    const sourceProblems = problemsOf(() =>
      resolveConfig({ sources: [{ id: 'x', kind: 'feed', url: 'https://example.com/x.xml', snapshot: 'yes' }] }),
    );
    assert.ok(
      sourceProblems.some((p) => p.startsWith('sources[0].snapshot: ')),
      sourceProblems.join('\n'),
    );
  });

  it('reports every problem as a path: message line', () => {
    const problems = problemsOf(() =>
      resolveConfig({ window: { hours: 0 }, language: 'fr', timezone: 'Mars/Base', http: { retries: 'x' }, typo: 1 }),
    );
    assert.ok(problems.some((p) => p.startsWith('window.hours: ')));
    assert.ok(problems.some((p) => p.startsWith('language: ')));
    assert.ok(problems.some((p) => p.startsWith('timezone: unknown IANA time zone')));
    assert.ok(problems.some((p) => p.startsWith('http.retries: ')));
    assert.ok(problems.some((p) => p === '(top level): unknown setting "typo"'));
  });

  it('names the field of a bad source and of a missing environment variable', () => {
    const problems = problemsOf(() =>
      resolveConfig(
        {
          sources: [
            { id: 'Bad Id', kind: 'feed', url: 'https://x.org/feed' },
            { id: 'ok-one', kind: 'nope', url: 'ftp://x.org' },
            { id: 'needs-secret', kind: 'feed', url: 'https://x.org/feed', params: { token: '${MY_TOKEN}' } },
          ],
        },
        { env: {} },
      ),
    );
    assert.ok(problems.some((p) => p.startsWith('sources[0].id: ')));
    assert.ok(problems.some((p) => p.startsWith('sources[1].kind: ')));
    assert.ok(problems.some((p) => p.startsWith('sources[1].url: ')));
    assert.ok(problems.includes('sources[2].params.token: environment variable MY_TOKEN is not set'));
  });

  it('takes secrets from the environment only, with ${NAME:-default}', () => {
    const config = resolveConfig(
      { sources: [{ id: 'github-search-ai', params: { token: '${GH}' } }] },
      { env: { GH: 'secret-value' } },
    );
    assert.equal(config.sources.find((s) => s.id === 'github-search-ai')?.params.token, 'secret-value');
    const fallback = resolveConfig({}, { env: {} });
    assert.equal(fallback.sources.find((s) => s.id === 'github-search-ai')?.params.token, '');
  });

  it('overrides a preset source by id, disables others, and adds new ones', () => {
    const config = resolveConfig({
      sources: [
        { id: 'openai-news', authority: 0.5 },
        { id: 'my-feed', kind: 'feed', url: 'https://example.com/feed.xml', section: 'llm' },
      ],
      disable: ['reddit-localllama'],
    });
    const openai = config.sources.find((s) => s.id === 'openai-news')!;
    assert.equal(openai.authority, 0.5);
    assert.equal(openai.url, 'https://openai.com/news/rss.xml');
    assert.equal(config.sources.find((s) => s.id === 'reddit-localllama')?.enabled, false);
    assert.equal(config.sources.find((s) => s.id === 'my-feed')?.name, 'my-feed');
    // A source you add may publish more than AI; the preset's AI-only sources are not filtered.
    assert.equal(config.sources.find((s) => s.id === 'my-feed')?.filterTopics, true);
    assert.equal(openai.filterTopics, false);
    assert.equal(config.sources.find((s) => s.id === 'infoq-cn')?.filterTopics, true);
    assert.deepEqual(
      problemsOf(() => resolveConfig({ disable: ['nope'] })),
      ['disable[0]: no source with id "nope"'],
    );
  });

  it('imports the feeds of an OPML file, skipping non-http URLs', () => {
    const config = resolveConfig(
      { preset: 'none', opml: ['feeds.opml'] },
      { baseDir: path.join(repoRoot, 'test/fixtures/config') },
    );
    assert.deepEqual(
      config.sources.map((s) => [s.id, s.name, s.url]),
      [
        ['lil-log', "Lil'Log", 'https://lilianweng.github.io/index.xml'],
        ['simon-willison', 'Simon Willison', 'https://simonwillison.net/atom/everything/'],
      ],
    );
  });

  it('reads YAML with line numbers in syntax errors, and the init template validates', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-config-'));
    try {
      writeFileSync(path.join(dir, 'ai-daily.config.yaml'), 'language: zh\nwindow: [unclosed\n');
      const problems = problemsOf(() => loadConfig({ cwd: dir }));
      assert.match(problems[0] ?? '', /^ai-daily\.config\.yaml:\d+:\d+: /);
      writeFileSync(path.join(dir, 'ai-daily.config.yaml'), configTemplate());
      const config = loadConfig({ cwd: dir, env: {} });
      assert.equal(config.sources.length, PRESETS.ai!.sources.length);
      assert.throws(() => loadConfig({ cwd: dir, file: 'missing.yaml' }), /config file not found: missing\.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
