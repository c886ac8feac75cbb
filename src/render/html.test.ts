/**
 * The report page, parsed with linkedom: nothing runs or loads, every link is a collected URL or
 * a reference of the page, every citation resolves, and source text full of injection payloads
 * stays text (it reads as the source wrote it and makes no element or attribute).
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseHTML } from 'linkedom';
import { buildInput } from '../../test/fixtures/report/build-input.js';
import { buildReport } from '../analyze/extractive.js';
import type { Report } from '../core/report.js';
import { escapeHtml, HTML_CSP, renderHtml } from './html.js';
import { renderJson } from './json.js';
import { markdownUrl, renderMarkdown } from './markdown.js';
import { checkReport } from './quality-gate.js';

/** Source text that tries to become markup, a script, a link or an entity. */
const PAYLOADS = [
  '<script>alert(1)</script><img src=x onerror=alert(2)>',
  "\"><svg onload=alert(3)> ' onmouseover='alert(4)",
  '<a href="javascript:alert(5)">click</a> &lt;b&gt; &#106;avascript:alert(6)',
  '</title></style></textarea><iframe src="https://evil.example/"></iframe>',
  '<!-- comment --> <![CDATA[ x ]]> <base href="https://evil.example/"> <meta http-equiv="refresh" content="0">',
  '[evil](javascript:alert(7)) https://evil.example/x www.evil.example',
] as const;

const HOSTILE_URLS = [
  'https://host.example/x"onmouseover="alert(8)',
  "https://host.example/a'><script>alert(9)</script>",
  'https://host.example/q?x=1&y=<2>',
] as const;

function page(html: string) {
  return parseHTML(html).document;
}

/** The gate's inputs for a report: its outputs and the window. */
function gate(report: Report, knownUrls: Set<string>, html = renderHtml(report)): string[] {
  return checkReport({
    report,
    markdown: renderMarkdown(report),
    json: renderJson(report),
    html,
    outputPaths: [],
    knownUrls,
    window: { date: report.date, start: report.window.start, end: report.window.end },
  });
}

/** Every `a[href]` must be a collected URL (as `markdownUrl` writes it) or an id of the page. */
function assertLinksSafe(document: ReturnType<typeof page>, knownUrls: Set<string>): number {
  const allowed = new Set([...knownUrls].map((url) => markdownUrl(url)).filter((url) => url !== undefined));
  const ids = new Set([...document.querySelectorAll('[id]')].map((element) => element.getAttribute('id')));
  let links = 0;
  for (const anchor of document.querySelectorAll('a')) {
    const href = anchor.getAttribute('href') ?? '';
    links++;
    if (href.startsWith('#')) assert.ok(ids.has(href.slice(1)), `anchor ${href} resolves`);
    else assert.ok(allowed.has(href), `link ${href} is a collected URL`);
  }
  return links;
}

function assertInert(document: ReturnType<typeof page>): void {
  assert.equal(document.querySelectorAll('script, iframe, img, svg, base, object, embed, form, link').length, 0);
  assert.equal(document.querySelectorAll('meta').length, 5, 'only our own meta elements');
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of [...element.attributes]) {
      assert.doesNotMatch(attribute.name, /^on/i, `${element.tagName} has no ${attribute.name}`);
    }
  }
}

describe('renderHtml', () => {
  for (const language of ['zh', 'en'] as const) {
    it(`(${language}) sets lang and the policy, links every citation to its reference, and passes the gate`, () => {
      const { input, knownUrls } = buildInput(language);
      const report = buildReport(input);
      const html = renderHtml(report);
      assert.equal(renderHtml(report), html, 'deterministic');
      const document = page(html);
      assert.equal(document.documentElement.getAttribute('lang'), language === 'zh' ? 'zh-CN' : 'en');
      const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
      assert.equal(csp?.getAttribute('content'), HTML_CSP);
      assertInert(document);
      assert.ok(assertLinksSafe(document, knownUrls) > report.references.length);

      const cites = [...document.querySelectorAll('a.cite')];
      assert.ok(cites.length > 0);
      for (const cite of cites) {
        const target = document.getElementById(cite.getAttribute('href')!.slice(1));
        assert.ok(target, `${cite.getAttribute('href')} has a reference`);
        assert.equal(`[${target.getAttribute('value')}]`, cite.textContent);
      }
      for (const reference of report.references) {
        const item = document.getElementById(`ref-${reference.n}`);
        assert.ok(item, `reference ${reference.n} is in the page`);
        assert.equal(item.querySelector('a')?.getAttribute('href'), markdownUrl(reference.url));
        assert.equal(item.querySelector('a')?.textContent, reference.title);
      }
      const headings = [...document.querySelectorAll('h4')].map((heading) => heading.textContent);
      const titles = report.sections.flatMap((section) =>
        section.stories.map((story) => story.headline ?? story.title),
      );
      assert.deepEqual(headings, titles);
      assert.deepEqual(gate(report, knownUrls), []);
    });
  }

  it('keeps injection payloads in every field of source text inert, and still readable', () => {
    const { input, knownUrls } = buildInput('en');
    const report = buildReport(input);
    const urlMap = new Map<string, string>();
    report.references.forEach((reference, index) => {
      urlMap.set(reference.url, `${HOSTILE_URLS[index % HOSTILE_URLS.length]}${index}`);
    });
    for (const [from, to] of urlMap) {
      knownUrls.delete(from);
      knownUrls.add(to);
    }
    let i = 0;
    const payload = () => PAYLOADS[i++ % PAYLOADS.length]!;
    for (const reference of report.references) {
      reference.url = urlMap.get(reference.url)!;
      reference.title = payload();
      reference.sourceName = payload();
    }
    for (const top of report.topStories) {
      top.title = payload();
      top.line.text = payload();
    }
    for (const line of report.executiveSummary) line.text = payload();
    for (const section of report.sections) {
      for (const story of section.stories) {
        story.title = payload();
        for (const sentence of story.summary) sentence.text = payload();
        for (const link of story.links) {
          link.url = urlMap.get(link.url) ?? link.url;
          link.sourceName = payload();
        }
      }
    }
    for (const repo of report.dataSections.topRepositories) repo.name = payload();
    for (const paper of report.dataSections.topPapers) paper.title = payload();
    report.title = `${report.title} ${PAYLOADS[3]}`;
    report.description = PAYLOADS[0];

    const html = renderHtml(report);
    const document = page(html);
    assertInert(document);
    assert.ok(assertLinksSafe(document, knownUrls) > 0);
    assert.equal(document.querySelector('title')?.textContent, report.title, 'the title reads as written');
    const headings = [...document.querySelectorAll('h4')].map((heading) => heading.textContent);
    assert.deepEqual(
      headings,
      report.sections.flatMap((section) => section.stories.map((story) => story.title)),
      'payloads read as the source wrote them',
    );
    for (const reference of report.references) {
      assert.equal(document.getElementById(`ref-${reference.n}`)?.querySelector('a')?.textContent, reference.title);
    }
    assert.deepEqual(
      gate(report, knownUrls, html).filter((problem) => problem.startsWith('HTML')),
      [],
    );
  });

  it('escapes markup characters and drops control characters', () => {
    assert.equal(escapeHtml(`<a href="x">&'\u0000\u001b[31m`), '&#60;a href=&#34;x&#34;&#62;&#38;&#39;[31m');
  });
});

describe('the report page on a phone', () => {
  it('has a section index whose every entry jumps to a heading the page has, and no script', () => {
    for (const language of ['zh', 'en'] as const) {
      const report = buildReport(buildInput(language).input);
      const html = renderHtml(report);
      const doc = page(html);
      const entries = [...doc.querySelectorAll('nav.toc a')];
      assert.ok(entries.length >= 4 + report.sections.length, `${entries.length} entries`);
      for (const entry of entries) {
        const id = entry.getAttribute('href')!.slice(1);
        assert.ok(doc.getElementById(id), `#${id} exists`);
      }
      for (const section of report.sections) {
        assert.ok(
          entries.some((entry) => entry.textContent!.endsWith(section.heading)),
          section.heading,
        );
      }
      assert.equal(doc.querySelectorAll('script').length, 0);
    }
  });

  it("links every headline to its story's best source (the first link)", () => {
    const report = buildReport(buildInput('en').input);
    const doc = page(renderHtml(report));
    const headings = [...doc.querySelectorAll('h4')];
    const stories = report.sections.flatMap((section) => section.stories);
    assert.equal(headings.length, stories.length);
    stories.forEach((story, index) => {
      const anchor = headings[index]!.querySelector('a');
      assert.equal(anchor?.getAttribute('href'), markdownUrl(story.links[0]!.url));
      assert.equal(anchor?.textContent, story.title);
    });
    const byId = new Map(stories.map((story) => [story.id, story]));
    const tops = [...doc.querySelectorAll('ol.top > li > strong > a')];
    assert.deepEqual(
      tops.map((anchor) => anchor.getAttribute('href')),
      report.topStories.map((top) => markdownUrl(byId.get(top.storyId)!.links[0]!.url)),
    );
  });

  it('folds the failed sources into one line with a count, each with its reason in the report language', () => {
    const report = buildReport(buildInput('zh').input);
    report.manifest.sources = report.manifest.sources.map((source, index) =>
      index < 2
        ? { ...source, status: 'failed' as const, errorKind: 'http-status' as const, error: 'HTTP 503' }
        : source,
    );
    const doc = page(renderHtml(report));
    const details = doc.querySelector('details');
    assert.equal(
      details?.querySelector('summary')?.textContent,
      '3 个来源今日未能获取（HTTP 错误状态 2 个；超时 1 个）',
    );
    assert.deepEqual(
      [...(details?.querySelectorAll('li') ?? [])].map((entry) => entry.textContent),
      ['OpenAI News：HTTP 错误状态', '量子位：HTTP 错误状态', '机器之心：超时'],
    );
    assert.equal(details?.hasAttribute('open'), false);
  });

  it('leaves an empty data section out, and says why rising topics are missing in "about"', () => {
    const { input } = buildInput('en', { history: false });
    const report = buildReport(input);
    report.dataSections = { ...report.dataSections, topRepositories: [], topModels: [], topPapers: [] };
    const doc = page(renderHtml(report));
    assert.equal(doc.getElementById('data'), null);
    assert.ok(![...doc.querySelectorAll('nav.toc a')].some((entry) => entry.getAttribute('href') === '#data'));
    assert.match(
      doc.getElementById('about')!.nextElementSibling!.textContent!,
      /Rising topics: left out until 3 earlier days/,
    );
  });
});

describe('the quality gate on the HTML page', () => {
  const { input, knownUrls } = buildInput('en');
  const report = buildReport(input);
  const html = renderHtml(report);
  const refuse = (changed: string, expected: RegExp) => {
    assert.notEqual(changed, html, 'the page was changed');
    const problems = gate(report, knownUrls, changed);
    assert.ok(
      problems.some((problem) => expected.test(problem)),
      problems.join('\n'),
    );
  };

  it('refuses a link that is not a collected URL or an anchor of the page', () => {
    refuse(html.replace('</main>', '<p><a href="https://elsewhere.example/">x</a></p></main>'), /not a collected URL/);
    refuse(html.replace('href="#ref-1"', 'href="#nowhere"'), /#nowhere/);
  });

  it('refuses a script, an event handler or a page without the policy', () => {
    refuse(html.replace('</main>', '<script>1</script></main>'), /loads or runs/);
    refuse(html.replace('<main>', '<main onclick="x()">'), /event handler/);
    refuse(html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, ''), /Content-Security-Policy/);
  });

  it('refuses our own log lines and local paths in the page text', () => {
    refuse(
      html.replace(
        '</main>',
        `<p>[ERROR] fetch failed at ${path.join(tmpdir(), 'ai-daily', 'src', 'x.ts')}</p></main>`,
      ),
      /HTML contains/,
    );
  });
});

describe('a section’s other headlines', () => {
  it('are listed after its stories with their source and link, in HTML and Markdown, and pass the gate', () => {
    const { input, knownUrls } = buildInput('en');
    // A title-only item with no counters: nothing to say beyond its headline.
    const story = input.stories.find((candidate) => candidate.itemIds.length === 1)!;
    const item = input.items[story.itemIds[0]!]!;
    input.items[item.id] = { ...item, text: '', engagement: {} };
    const report = buildReport(input);
    const section = report.sections.find((candidate) => candidate.section === story.section)!;
    assert.deepEqual(section.otherHeadlines, [{ title: item.title, url: item.url, sourceName: item.sourceName }]);
    assert.ok(!section.stories.some((candidate) => candidate.id === story.id));
    assert.ok(!report.topStories.some((top) => top.storyId === story.id));

    const html = renderHtml(report);
    const { document } = parseHTML(html);
    const list = document.querySelector('ul.other-headlines');
    assert.ok(list, 'the list is on the page');
    assert.equal(list.querySelector('a')?.getAttribute('href'), item.url);
    const markdown = renderMarkdown(report);
    assert.ok(markdown.includes('**Other headlines**'));
    assert.ok(markdown.includes(`(${markdownUrl(item.url)})`));
    const problems = checkReport({
      report,
      markdown,
      json: renderJson(report),
      html,
      outputPaths: ['reports/2026/08/2026-08-22.en.md'],
      knownUrls,
      window: input.window,
      env: {},
    });
    assert.deepEqual(problems, []);
  });
});

describe('a digest story on the page (issue 14 item 5)', () => {
  it('lists its headlines as a bullet list under its linked title, each citing the digest', () => {
    const { input, knownUrls } = buildInput('en');
    const report = buildReport(input);
    const story = report.sections[0]!.stories[0]!;
    const cite = story.summary[0]!.cites;
    story.title = 'AI日报：模型甲正式发布；产品乙上线；公司丙完成融资';
    story.digest = true;
    story.summary = ['模型甲正式发布', '产品乙上线', '公司丙完成融资'].map((text) => ({ text, cites: cite }));
    const document = page(renderHtml(report));
    const heading = [...document.querySelectorAll('h4')].find((h) => h.textContent?.startsWith('AI日报'))!;
    assert.equal(heading.querySelector('a')?.getAttribute('href'), story.links[0]!.url);
    let list = heading.nextElementSibling;
    while (list && list.tagName !== 'UL') list = list.nextElementSibling;
    assert.equal(list?.getAttribute('class'), 'digest');
    const entries = [...list!.querySelectorAll('li')];
    assert.deepEqual(
      entries.map((li) => li.textContent?.replace(/\[\d+\]$/u, '').trim()),
      ['模型甲正式发布', '产品乙上线', '公司丙完成融资'],
    );
    for (const li of entries) assert.equal(li.querySelector('a.cite')?.getAttribute('href'), `#ref-${cite[0]}`);
    assert.deepEqual(gate(report, knownUrls), [], 'the quality gate passes the page, the Markdown and the JSON');
  });
});
