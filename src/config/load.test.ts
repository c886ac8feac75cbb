import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../test/support/fixtures.js';
import { AI_TERMS } from '../core/ai-terms.js';
import { ConfigError } from '../core/errors.js';
import { redact } from '../core/redact.js';
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

  it('gives every preset topics: none takes the AI vocabulary, unless the config gives its own', () => {
    const none = resolveConfig({ preset: 'none' });
    assert.deepEqual(none.topics, [...AI_TERMS]);
    assert.deepEqual(resolveConfig({ preset: 'none', topics: ['Rust', 'WebAssembly'] }).topics, [
      'rust',
      'webassembly',
    ]);
    const ai = resolveConfig({ topics: ['Robot Dogs'] });
    assert.ok(ai.topics.includes('llm') && ai.topics.includes('robot dogs'), 'the ai preset adds the config’s own');
    const flags = resolveConfig({
      preset: 'none',
      sources: [
        { id: 'hn', kind: 'feed', url: 'https://example.org/hn.xml' },
        { id: 'lab', kind: 'feed', url: 'https://example.org/lab.xml', filterTopics: false },
        { id: 'all', kind: 'feed', url: 'https://example.org/all.xml', filterTopics: true },
      ],
    }).sources.map((source) => source.filterTopics);
    assert.deepEqual(flags, ['auto', false, true]);
    assert.deepEqual(
      problemsOf(() =>
        resolveConfig({ sources: [{ id: 'x', kind: 'feed', url: 'https://example.org/x.xml', filterTopics: 'yes' }] }),
      ).length,
      1,
    );
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
    assert.equal(config.sources.find((s) => s.id === 'my-feed')?.filterTopics, 'auto');
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

  it('store: a SQLite file by default, or a PostgreSQL URL whose password never reaches a message', () => {
    assert.deepEqual(resolveConfig({}, { env: {} }).store, { driver: 'sqlite', path: './data/ai-daily.db' });
    assert.deepEqual(resolveConfig({ store: { path: 'x.db' } }, { env: {} }).store, { driver: 'sqlite', path: 'x.db' });
    const url = 'postgres://daily:pg-pa55word-xyz@db.example.org:5432/ai_daily';
    const config = resolveConfig(
      { store: { driver: 'postgres', url: '${DATABASE_URL}' } },
      { env: { DATABASE_URL: url } },
    );
    assert.deepEqual(config.store, { driver: 'postgres', url });
    // From the environment, the whole URL is a secret; its password alone is one too.
    assert.equal(redact(`cannot reach ${url}`), 'cannot reach ***');
    assert.equal(redact('password pg-pa55word-xyz refused'), 'password *** refused');
    // Written in the file (not from the environment), its password is still a secret.
    resolveConfig({ store: { driver: 'postgres', url: 'postgres://u:written-in-file-pw@h/db' } }, { env: {} });
    assert.equal(redact('login written-in-file-pw failed'), 'login *** failed');
  });

  it('store: refuses a PostgreSQL store without a URL, a URL of another scheme, and a URL without the driver', () => {
    assert.ok(
      problemsOf(() => resolveConfig({ store: { driver: 'postgres' } }, { env: {} })).some((p) =>
        p.startsWith('store.url: is needed with driver: postgres: give the database URL, for example postgres://'),
      ),
    );
    assert.ok(
      problemsOf(() => resolveConfig({ store: { driver: 'postgres', url: '${DATABASE_URL:-}' } }, { env: {} })).some(
        (p) => p.startsWith('store.url: is needed with driver: postgres'),
      ),
    );
    assert.ok(
      problemsOf(() => resolveConfig({ store: { driver: 'postgres', url: 'mysql://h/db' } }, { env: {} })).some((p) =>
        p.startsWith('store.url: is not a PostgreSQL URL: it starts with postgres:// or postgresql://'),
      ),
    );
    assert.ok(
      problemsOf(() => resolveConfig({ store: { url: 'postgres://h/db' } }, { env: {} })).includes(
        'store.url: is for PostgreSQL: add driver: postgres (or give store.path for a SQLite file)',
      ),
    );
    assert.ok(
      problemsOf(() =>
        resolveConfig({ store: { driver: 'postgres', url: 'postgres://h/db', path: 'x.db' } }, { env: {} }),
      ).includes('store.path: is for SQLite: with driver: postgres give store.url'),
    );
    assert.ok(
      problemsOf(() => resolveConfig({ store: { driver: 'mysql' } }, { env: {} })).some((p) =>
        p.startsWith('store.driver: is sqlite (a file, the default) or postgres (a database URL)'),
      ),
    );
  });

  it('refuses an empty store.path or output.dir, naming the field (not the working folder by accident)', () => {
    const problems = problemsOf(() => resolveConfig({ store: { path: '' }, output: { dir: '  ' } }, { env: {} }));
    assert.ok(
      problems.includes('store.path: is empty: give a SQLite file, for example ./data/ai-daily.db'),
      problems.join('\n'),
    );
    assert.ok(problems.includes('output.dir: is empty: give a folder, for example ./out'), problems.join('\n'));
    // An unset variable with an empty default is the same mistake, named the same way.
    assert.ok(
      problemsOf(() => resolveConfig({ store: { path: '${STORE:-}' } }, { env: {} })).some((p) =>
        p.startsWith('store.path: is empty'),
      ),
    );
  });

  it('a --config naming a folder is a config error naming it, not a raw EISDIR', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-config-'));
    try {
      mkdirSync(path.join(dir, 'conf'));
      assert.throws(
        () => loadConfig({ cwd: dir, file: 'conf', env: {} }),
        (error: unknown) =>
          error instanceof ConfigError &&
          /^--config conf is a folder, not a config file: name a YAML file \(for example .*conf\/ai-daily\.config\.yaml\)$/.test(
            error.message,
          ),
      );
      // The default name being a folder is named the same way, by its path.
      mkdirSync(path.join(dir, 'ai-daily.config.yaml'));
      assert.throws(() => loadConfig({ cwd: dir, env: {} }), /ai-daily\.config\.yaml is a folder, not a config file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a source id listed twice, naming both places', () => {
    const problems = problemsOf(() =>
      resolveConfig({
        preset: 'none',
        sources: [
          { id: 'my-feed', kind: 'feed', url: 'https://a.example.com/feed.xml' },
          { id: 'other', kind: 'feed', url: 'https://b.example.com/feed.xml' },
          { id: 'my-feed', kind: 'feed', url: 'https://c.example.com/feed.xml' },
        ],
      }),
    );
    assert.deepEqual(problems, ['sources[2].id: duplicate source id "my-feed" (already used by sources[0])']);
    // Overriding a preset source once is not a duplicate; twice is.
    assert.deepEqual(
      problemsOf(() => resolveConfig({ sources: [{ id: 'openai-news' }, { id: 'openai-news', authority: 0.1 }] })),
      ['sources[1].id: duplicate source id "openai-news" (already used by sources[0])'],
    );
  });

  it('lists the problems of the sources together with those of the other settings', () => {
    const problems = problemsOf(() =>
      resolveConfig({
        report: { title: 'AI Daily 2026' },
        sources: [
          { id: 'x-feed', kind: 'feed', url: 'https://a.example.com/f', timezone: 'Mars/Olympus' },
          { id: 'x-feed', kind: 'feed', url: 'https://a.example.com/g' },
        ],
      }),
    );
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0]!, /^report\.title: /);
    assert.equal(problems[1], 'sources[0].timezone: unknown IANA time zone');
    assert.equal(problems[2], 'sources[1].id: duplicate source id "x-feed" (already used by sources[0])');
  });

  it('refuses unknown time zones, of a source and of the report', () => {
    assert.deepEqual(
      problemsOf(() => resolveConfig({ timezone: 'Asia/Shanghia' })),
      ['timezone: unknown IANA time zone'],
    );
    const problems = problemsOf(() =>
      resolveConfig({
        sources: [
          { id: 'zoned', kind: 'feed', url: 'https://a.example.com/feed.xml', timezone: 'Europe/Berlinn' },
          { id: 'openai-news', timezone: 'Not/AZone' },
        ],
      }),
    );
    assert.ok(problems.includes('sources[0].timezone: unknown IANA time zone'), problems.join('\n'));
    assert.ok(problems.includes('sources[1].timezone: unknown IANA time zone'), problems.join('\n'));
    const ok = resolveConfig({
      sources: [{ id: 'zoned', kind: 'feed', url: 'https://a.example.com/feed.xml', timezone: 'Europe/Berlin' }],
    });
    assert.equal(ok.sources.find((s) => s.id === 'zoned')?.timezone, 'Europe/Berlin');
  });

  it('refuses header values with control characters, from the file or the environment', () => {
    const problems = problemsOf(() =>
      resolveConfig(
        {
          http: { userAgent: 'my-bot/1.0\r\nX-Injected: yes' },
          sources: [{ id: 'github-search-ai', params: { token: '${GH}' } }],
        },
        { env: { GH: 'ghp_line\nbreak-token' } },
      ),
    );
    assert.ok(
      problems.some((p) => /^http\.userAgent: must not contain control characters/.test(p)),
      problems.join('\n'),
    );
    assert.ok(
      problems.includes(
        'preset.github-search-ai.params.token: environment variable GH contains control characters (CR, LF, ...)',
      ) ||
        problems.includes('sources[0].params.token: environment variable GH contains control characters (CR, LF, ...)'),
      problems.join('\n'),
    );
    assert.equal(
      resolveConfig({ http: { userAgent: 'my-bot/1.0 (+https://example.com)' } }).http.userAgent,
      'my-bot/1.0 (+https://example.com)',
    );
  });

  it('refuses a report title with a year or a date in it (every report would then fail the gate)', () => {
    for (const title of ['AI Daily 2026', 'AI 日报 2026年8月22日', 'Digest 2025-01-01', '1999 edition']) {
      const problems = problemsOf(() => resolveConfig({ report: { title } }));
      assert.equal(problems.length, 1, title);
      assert.match(problems[0]!, /^report\.title: must not contain a year or a date/, title);
    }
    for (const title of ['AI Daily', 'GPT-4.5 watch', 'Top 100 models', 'AI 日报']) {
      assert.equal(resolveConfig({ report: { title } }).report.title, title);
    }
  });

  it('checks http.allowHosts entries', () => {
    assert.deepEqual(resolveConfig({ http: { allowHosts: ['feeds.home.lan:8080', '[::1]'] } }).http.allowHosts, [
      'feeds.home.lan:8080',
      '[::1]',
    ]);
    const problems = problemsOf(() => resolveConfig({ http: { allowHosts: ['http://127.0.0.1:8080/'] } }));
    assert.match(problems[0] ?? '', /^http\.allowHosts\[0\]: .*must be a host or host:port, not a URL/);
  });

  it('an alias bomb is a clear ConfigError (exit 2), not a crash', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-config-'));
    try {
      const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
      for (const [index, name] of ['b', 'c', 'd', 'e', 'f', 'g'].entries()) {
        const previous = String.fromCharCode('a'.charCodeAt(0) + index);
        levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
      }
      writeFileSync(path.join(dir, 'ai-daily.config.yaml'), `${levels.join('\n')}\n`);
      const problems = problemsOf(() => loadConfig({ cwd: dir }));
      assert.match(problems[0] ?? '', /^ai-daily\.config\.yaml: .*alias/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('collects the secrets it interpolated and those in URL userinfo, and redacts them', () => {
    const config = resolveConfig(
      {
        preset: 'none',
        sources: [
          { id: 'keyed', kind: 'feed', url: 'https://feeds.example.com/ai.xml?api_key=${MY_FEED_KEY}' },
          { id: 'basic', kind: 'feed', url: 'https://reader:${FEED_PASS}@feeds.example.com/private.xml' },
          { id: 'inline', kind: 'feed', url: 'https://bob:hunter2-inline@feeds.example.com/x.xml' },
        ],
      },
      { env: { MY_FEED_KEY: 'k3y-0123456789abcdef', FEED_PASS: 'pa55-word-secret' } },
    );
    assert.ok(config.secrets.includes('k3y-0123456789abcdef'));
    assert.ok(config.secrets.includes('hunter2-inline'));
    const line = `fetching ${config.sources.map((s) => s.url).join(' ')} with k3y-0123456789abcdef`;
    const redacted = redact(line);
    assert.doesNotMatch(redacted, /k3y-0123456789abcdef|hunter2|pa55-word|reader|bob/);
    assert.match(redacted, /api_key=\*\*\* /);
    assert.match(redacted, /https:\/\/\*\*\*@feeds\.example\.com\/private\.xml/);
    // The config itself keeps the real values: requests use them.
    assert.equal(config.sources[0]?.url, 'https://feeds.example.com/ai.xml?api_key=k3y-0123456789abcdef');
  });
});
