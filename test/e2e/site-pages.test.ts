/**
 * The published site of recorded days, through the real CLI: each run writes the report's HTML
 * page beside its Markdown and JSON, and the index and feeds of every report in the folder. A
 * JSON file in the folder that is not a report is named on stderr, left out and left alone; a
 * re-run gives byte-identical index and feeds.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import { parseHTML } from 'linkedom';
import { runCli } from '../support/cli.js';
import { dayFile } from '../support/fixtures.js';

const SITE_URL = 'https://news.example/daily/';
const SITE_FILES = ['_index.md', 'index.html', 'feed.xml', 'atom.xml'];
const TEST_TIMEOUT = { timeout: 180_000 };

describe('site pages of recorded days', TEST_TIMEOUT, () => {
  let cwd: string;
  let out: string;
  const stderr: string[] = [];
  const run = async (day: string, ...extra: string[]) => {
    const result = await runCli(['run', '--replay', dayFile(day), '--config', 'config.yaml', ...extra], cwd);
    stderr.push(result.stderr);
    assert.equal(result.code, 0, result.stderr);
  };
  const site = () =>
    Object.fromEntries(SITE_FILES.map((name) => [name, readFileSync(path.join(out, 'reports', name), 'utf8')]));
  const broken = 'reports/2026/07/2026-07-01.json';

  before(async () => {
    cwd = mkdtempSync(path.join(tmpdir(), 'ai-daily-site-'));
    out = path.join(cwd, 'out');
    writeFileSync(
      path.join(cwd, 'config.yaml'),
      `store:\n  path: ./store.db\noutput:\n  dir: ./out\n  siteUrl: ${SITE_URL}\n`,
    );
    await run('2026-08-22');
    await run('2026-08-22', '--lang', 'en');
    mkdirSync(path.join(out, 'reports/2026/07'), { recursive: true });
    writeFileSync(path.join(out, broken), '{"date": "2026-07-01", "title": ');
    await run('2026-04-28');
  });
  after(() => rmSync(cwd, { recursive: true, force: true }));

  it('writes each report page, with no script and only http(s) links or links to its own headings', () => {
    for (const page of ['2026/08/2026-08-22.html', '2026/08/2026-08-22.en.html', '2026/04/2026-04-28.html']) {
      const { document } = parseHTML(readFileSync(path.join(out, 'reports', page), 'utf8'));
      assert.equal(document.querySelectorAll('script').length, 0, page);
      const hrefs = [...document.querySelectorAll('a')].map((anchor) => anchor.getAttribute('href') ?? '');
      assert.ok(hrefs.length > 10, page);
      for (const href of hrefs) {
        assert.match(href, /^(?:https?:\/\/[^/\s]|#[a-z][a-z0-9-]*$)/, `${page}: ${href}`);
        if (href.startsWith('#')) assert.ok(document.getElementById(href.slice(1)), `${page}: ${href} is on the page`);
      }
    }
  });

  it('lists every report newest first, the broken file left out, named on stderr and left alone', () => {
    const { document } = parseHTML(site()['index.html']!);
    const links = [...document.querySelectorAll('li a')].map((anchor) => anchor.getAttribute('href'));
    assert.deepEqual(links, ['2026/08/2026-08-22.html', '2026/08/2026-08-22.en.html', '2026/04/2026-04-28.html']);
    for (const link of links) assert.ok(existsSync(path.join(out, 'reports', link!)), `${link} exists`);
    assert.match(site()['_index.md']!, /\]\(2026\/04\/2026-04-28\.md\)/);
    assert.match(stderr.join('\n'), /left out reports\/2026\/07\/2026-07-01\.json: .*not valid JSON/);
    assert.equal(readFileSync(path.join(out, broken), 'utf8'), '{"date": "2026-07-01", "title": ');
  });

  it('feeds link every report page under output.siteUrl', () => {
    const expected = ['2026/08/2026-08-22.html', '2026/08/2026-08-22.en.html', '2026/04/2026-04-28.html'].map(
      (page) => `${SITE_URL}reports/${page}`,
    );
    const rss = parseRssFeed(site()['feed.xml']!);
    assert.deepEqual(
      (rss.items ?? []).map((item) => item.link),
      expected,
    );
    const atom = parseAtomFeed(site()['atom.xml']!);
    assert.deepEqual(
      (atom.entries ?? []).map((entry) => entry.links?.[0]?.href),
      expected,
    );
    for (const url of expected) assert.ok(existsSync(path.join(out, url.slice(SITE_URL.length))), url);
  });

  it('the output folder as Hugo content still renders every report page (the index is _index.md)', (t) => {
    if (spawnSync('hugo', ['version'], { encoding: 'utf8' }).status !== 0) {
      assert.notEqual(process.env.CI, 'true', 'hugo is not installed (.ci/run installs it)');
      t.skip('hugo is not installed');
      return;
    }
    const site = path.join(cwd, 'hugo');
    mkdirSync(path.join(site, 'layouts/_default'), { recursive: true });
    writeFileSync(
      path.join(site, 'config.toml'),
      'baseURL = "https://example.org/"\ntitle = "site"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n',
    );
    writeFileSync(path.join(site, 'layouts/_default/single.html'), '<main>{{ .Content }}</main>\n');
    writeFileSync(path.join(site, 'layouts/_default/list.html'), '{{ range .Pages }}{{ .Title }}|{{ end }}\n');
    rmSync(path.join(out, broken));
    cpSync(out, path.join(site, 'content'), { recursive: true });
    const build = spawnSync('hugo', ['--quiet', '--buildFuture', '-s', site, '-d', path.join(site, 'public')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(build.status, 0, `hugo failed:\n${build.stderr}${build.stdout}`);
    for (const page of ['2026/08/2026-08-22', '2026/04/2026-04-28']) {
      assert.ok(existsSync(path.join(site, 'public/reports', page, 'index.html')), `${page} is a page of the site`);
    }
  });

  it('a re-run of a day gives byte-identical index and feeds', async () => {
    const before = site();
    await run('2026-04-28');
    assert.deepEqual(site(), before);
  });
});
