/**
 * A report made from a feed full of injection payloads, built by a static site generator.
 *
 * A loopback server serves one RSS feed whose titles look like log lines, paths and box drawing,
 * whose texts hold Markdown links, raw HTML, bare URLs and Hugo/Jekyll/Hexo template tags, and
 * whose item URLs try to close their Markdown link. `runCommand` must publish the day (zh and
 * en); Debian's `hugo` must then build a minimal site from the reports — with a layout that
 * prints `.Content` and a site parameter `secret` — without printing the secret, without a
 * `javascript:` link or a link to anything but a collected URL, and with every citation linked.
 * Under CI=true a missing `hugo` fails the test (.ci/run installs it).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { stringify as stringifyYaml } from 'yaml';
import { runCommand } from '../../src/cli/commands/run.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { type LoopbackServer, startLoopbackServer } from '../fixtures/hostile/loopback-server.js';

const NOW = new Date('2026-08-22T02:00:00Z');
const TEST_TIMEOUT = { timeout: 120_000 };
const SECRET = 'hugo-site-param-secret-5f1c9e';

/** Titles a source may write that look like our faults; every one must publish. */
const LOOK_ALIKE_TITLES = [
  'Loaded dice: how LLM benchmarks get gamed',
  '✅ 千问 Qwen4 正式开源，支持多模态',
  'ERROR bars matter: evaluating AI models honestly',
  'WARNING: AI agents are now writing most pull requests',
  'Why /usr/bin/python3 broke our LLM training pipeline',
  'Qwen 3 ─── the full benchmark story',
];

/** Titles and texts that try to become template tags, links, images or HTML. */
const INJECTION_ENTRIES = [
  {
    title: 'Model cards print {{% param "secret" %}} for every LLM',
    text: 'The card said {{< param "secret" >}} twice.',
  },
  { title: 'Site build fails on {{% ref "missing" %}} in an AI post', text: 'A {{ .Site.Params.secret }} followed.' },
  { title: 'Jekyll blog runs {% include secret.html %} from a GPT feed', text: 'A {# comment #} and {%- raw -%} too.' },
  {
    title: 'Agent framework [docs](javascript:alert(1)) ![x](https://evil.example/p.png) released',
    text: 'Get it at https://evil.example/agent.exe or www.evil.example/agent, mail a@evil.example.',
  },
  {
    title: 'Transformer <script>alert(1)</script> <img src=x onerror=alert(2)> explained',
    text: 'See <https://evil.example/auto> and [x][ref-1] and [ref-1]: https://evil.example/def for the LLM.',
  },
];

/** Legal URLs that try to close a link destination or a reference definition. */
const HOSTILE_URLS = [
  'https://host.example/x)[evil](javascript:alert(7)',
  'https://host.example/a)b]c[d',
  'https://host.example/q?x=(1)&y=[2]',
];

interface Entry {
  title: string;
  text: string;
  url: string;
}

const ENTRIES: Entry[] = [
  ...LOOK_ALIKE_TITLES.map((title, index) => ({
    title,
    text: `${title}. A study of large language model evaluation, part ${index + 1}.`,
    url: `https://news.example/look-alike/${index + 1}`,
  })),
  ...INJECTION_ENTRIES.map((entry, index) => ({
    ...entry,
    url: HOSTILE_URLS[index] ?? `https://news.example/injection/${index + 1}`,
  })),
];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function feed(): string {
  const items = ENTRIES.map(
    (entry, index) => `<item><title>${escapeXml(entry.title)}</title><link>${escapeXml(entry.url)}</link>
<guid isPermaLink="false">payload-${index}</guid>
<pubDate>${new Date(NOW.getTime() - (index + 1) * 3_600_000).toUTCString()}</pubDate>
<description>${escapeXml(entry.text)}</description></item>`,
  ).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Payloads</title>
<link>https://news.example/</link><description>x</description>
${items}
</channel></rss>`;
}

/** HTML text as a reader sees it, with the typographer's curly quotes read as straight ones. */
function decodeHtml(text: string): string {
  return text
    .replace(/&[lr]dquo;/g, '"')
    .replace(/&[lr]squo;/g, "'")
    .replace(/&hellip;/g, '...')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function canonicalUrl(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

function hugoAvailable(): boolean {
  return spawnSync('hugo', ['version'], { encoding: 'utf8' }).status === 0;
}

let server: LoopbackServer;
let dir: string;
const reports = new Map<'zh' | 'en', { markdown: string; json: Report; collected: Set<string>; html: string }>();

before(async () => {
  server = await startLoopbackServer({
    '/rss.xml': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(feed());
    },
  });
  dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-site-'));
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a day of injection payloads, published and built into a Hugo site', () => {
  for (const language of ['en', 'zh'] as const) {
    it(
      `publishes the day in ${language}: every look-alike title and payload item is in the report`,
      TEST_TIMEOUT,
      async () => {
        const cwd = path.join(dir, language);
        mkdirSync(cwd, { recursive: true });
        const config = {
          preset: 'none',
          language,
          store: { path: './data/ai-daily.db' },
          output: { dir: './out' },
          http: { timeoutMs: 2000, retries: 0, allowHosts: [new URL(server.origin).host] },
          sources: [{ id: 'payloads', name: 'Payload {{ News }}', kind: 'feed', url: `${server.origin}/rss.xml` }],
        };
        writeFileSync(path.join(cwd, 'ai-daily.config.yaml'), stringifyYaml(config));
        const summary = await runCommand({ cwd, config: 'ai-daily.config.yaml', log: silentLogger, now: NOW });
        const markdown = readFileSync(path.join(cwd, 'out', summary.markdown), 'utf8');
        const json = JSON.parse(readFileSync(path.join(cwd, 'out', summary.json), 'utf8')) as Report;
        const titles = new Set([
          ...json.references.map((reference) => reference.title),
          ...json.sections.flatMap((section) => (section.otherHeadlines ?? []).map((link) => link.title)),
        ]);
        for (const title of LOOK_ALIKE_TITLES) assert.ok(titles.has(title), `"${title}" is in the ${language} report`);
        // Cited items, and the items with nothing to say beyond their title (a section's other headlines).
        const collected = new Set(
          [
            ...json.references.map((reference) => reference.url),
            ...json.sections.flatMap((section) => (section.otherHeadlines ?? []).map((link) => link.url)),
          ].map(canonicalUrl),
        );
        // Section caps may leave out one payload item; the look-alike titles and hostile URLs must all be in.
        for (const url of HOSTILE_URLS) assert.ok(collected.has(canonicalUrl(url)), `${url} is cited`);
        const html = readFileSync(path.join(cwd, 'out', summary.markdown.replace(/\.md$/, '.html')), 'utf8');
        reports.set(language, { markdown, json, collected, html });
      },
    );
  }

  it('keeps the payloads inert in the HTML pages: no script or handler, only collected links, text as written', () => {
    assert.equal(reports.size, 2, 'both languages were published');
    for (const [language, { json, collected, html }] of reports) {
      const { document } = parseHTML(html);
      assert.equal(document.querySelectorAll('script, img, iframe, object, embed, base, form').length, 0, language);
      for (const element of document.querySelectorAll('*')) {
        for (const attribute of [...element.attributes]) assert.doesNotMatch(attribute.name, /^on/i, language);
      }
      for (const anchor of document.querySelectorAll('a')) {
        const href = anchor.getAttribute('href') ?? '';
        if (href.startsWith('#')) assert.ok(document.getElementById(href.slice(1)), `${language}: ${href} resolves`);
        else assert.ok(collected.has(canonicalUrl(href)), `${language}: ${href} is a collected URL`);
      }
      const referenceTitles = json.references.map(
        (reference) => document.getElementById(`ref-${reference.n}`)?.querySelector('a')?.textContent,
      );
      assert.deepEqual(
        referenceTitles,
        json.references.map((reference) => reference.title),
      );
      assert.ok(!html.includes(SECRET), language);
    }
  });

  it(
    'builds with hugo: no secret, no javascript: link, only collected links, every citation linked',
    TEST_TIMEOUT,
    (t) => {
      if (!hugoAvailable()) {
        assert.notEqual(process.env.CI, 'true', 'hugo is not installed (.ci/run installs it)');
        t.skip('hugo is not installed');
        return;
      }
      assert.equal(reports.size, 2, 'both reports were written');
      const site = path.join(dir, 'site');
      const write = (relative: string, text: string) => {
        mkdirSync(path.dirname(path.join(site, relative)), { recursive: true });
        writeFileSync(path.join(site, relative), text);
      };
      write(
        'config.toml',
        `baseURL = "https://example.org/"\ntitle = "site"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n[params]\nsecret = "${SECRET}"\n`,
      );
      write('layouts/_default/single.html', '<html><body><main>{{ .Content }}</main></body></html>\n');
      write('layouts/_default/list.html', '<html><body>{{ range .Pages }}{{ .Title }}{{ end }}</body></html>\n');
      write('layouts/index.html', '<html><body>{{ range .Site.RegularPages }}{{ .Title }}{{ end }}</body></html>\n');
      for (const [language, report] of reports) write(`content/posts/${language}.md`, report.markdown);

      const build = spawnSync('hugo', ['--quiet', '--buildFuture', '-s', site, '-d', path.join(site, 'public')], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, HUGO_ENVIRONMENT: 'production' },
      });
      assert.equal(build.status, 0, `hugo failed:\n${build.stderr}${build.stdout}`);

      for (const [language, { json, collected }] of reports) {
        const html = readFileSync(path.join(site, 'public', 'posts', language, 'index.html'), 'utf8');
        assert.ok(!html.includes(SECRET), `${language}: the site secret is not printed`);
        assert.doesNotMatch(html, /<script|<img|onerror=/i, `${language}: no raw HTML from source text`);
        const hrefs = [...html.matchAll(/href\s*=\s*"([^"]*)"/gi)].map((match) => decodeHtml(match[1]!));
        assert.ok(hrefs.length > 0);
        for (const href of hrefs) {
          assert.doesNotMatch(href, /^\s*(?:javascript|data|vbscript):/i, href);
          assert.ok(collected.has(canonicalUrl(href)), `${language}: ${href} is a collected URL`);
        }
        for (const reference of json.references) {
          const linked = [...html.matchAll(/<a href="([^"]*)">\[(\d+)\]<\/a>/g)].filter(
            (match) => Number(match[2]) === reference.n,
          );
          assert.ok(linked.length > 0, `${language}: citation [${reference.n}] is linked`);
          for (const match of linked) assert.equal(canonicalUrl(decodeHtml(match[1]!)), canonicalUrl(reference.url));
        }
        assert.doesNotMatch(html, /\[\d+\]\[ref-\d+\]/, `${language}: no citation left as text`);
        const text = decodeHtml(html.replace(/<[^>]*>/g, ''));
        for (const reference of json.references) {
          assert.ok(text.includes(reference.title), `${language}: "${reference.title}" reads as the source wrote it`);
        }
      }
    },
  );
});
