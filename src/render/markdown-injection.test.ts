/**
 * Safe Markdown by construction, checked with a real CommonMark parser (markdown-it 15 with
 * linkify and raw HTML on, as permissive as GFM renderers get): source text full of injection
 * payloads and item URLs that try to close their link must give a document whose only links are
 * collected URLs, whose every citation resolves, with no image, raw HTML or template tag, and
 * whose text still reads as the source wrote it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { parse as parseYaml } from 'yaml';
import { buildInput } from '../../test/fixtures/report/build-input.js';
import { buildReport } from '../analyze/extractive.js';
import type { Report } from '../core/report.js';
import { renderJson } from './json.js';
import { escapeMarkdown, markdownUrl, renderMarkdown } from './markdown.js';
import { checkReport } from './quality-gate.js';

/** Source text that tries every way out of plain text. */
export const PAYLOADS = [
  '[evil](javascript:alert(1)) and ![img](https://evil.example/pixel.png)',
  '<script>alert(1)</script><img src=x onerror=alert(2)> <a href="javascript:alert(3)">x</a>',
  'Download https://evil.example/x.exe or www.evil.example/y or evil.com/z or //localhost/w now',
  'Mail a@evil.example, see <https://evil.example/auto> and <mailto:a@evil.example>',
  '{{% param "secret" %}} {{< ref "missing" >}} {{ .Site.Params.secret }}',
  '{% include evil.html %} {%- raw -%} {# a comment #} {{ site.secret }}',
  '&#106;avascript:alert(4) &lt;b&gt; javascript:alert(5)',
  '[ref-1]: https://evil.example/definition and [x][ref-1] and \\[y](https://evil.example/esc)',
  'line one\n\n# heading\n---\n    indented code\n> quote',
  '*emphasis* __strong__ `code` ~~strike~~ | a | b |',
  '1. not a list',
] as const;

/** URLs that are legal and try to close a link destination, a reference definition or an autolink. */
export const HOSTILE_URLS = [
  'https://host.example/x)[evil](javascript:alert(7)',
  'https://host.example/a>b<c',
  'https://host.example/q?x=1&amp;y=[2]',
  'https://host.example/back\\slash"quote\'tick`',
  'https://host.example/中文/路径?q=值 space',
] as const;

const md = new MarkdownIt({ html: true, linkify: true });
type Token = ReturnType<typeof md.parse>[number];

function walk(tokens: Token[], visit: (token: Token) => void): void {
  for (const token of tokens) {
    visit(token);
    if (token.children) walk(token.children, visit);
  }
}

/** Percent-decoded, so that two spellings of one URL compare equal. */
function canonicalUrl(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

function body(markdown: string): string {
  return markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
}

/** Inline text of a token list, as a reader sees it. */
function inlineText(tokens: Token[]): string {
  return tokens
    .filter((token) => token.type === 'text' || token.type === 'text_special' || token.type === 'code_inline')
    .map((token) => token.content)
    .join('');
}

/** The report of the English fixture day with payloads in every field of source text and hostile item URLs. */
function hostileReport(): { report: Report; knownUrls: Set<string> } {
  const { input, knownUrls } = buildInput('en');
  const report = buildReport(input);
  const urlMap = new Map<string, string>();
  report.references.forEach((reference, index) => {
    const hostile = HOSTILE_URLS[index % HOSTILE_URLS.length]!;
    urlMap.set(reference.url, `${hostile}${index}`);
  });
  for (const [from, to] of urlMap) {
    knownUrls.delete(from);
    knownUrls.add(to);
  }
  const payload = (i: number) => PAYLOADS[i % PAYLOADS.length]!;
  let i = 0;
  for (const reference of report.references) {
    reference.url = urlMap.get(reference.url)!;
    reference.title = payload(i++);
    reference.sourceName = payload(i++);
  }
  report.topStories.forEach((top) => {
    top.title = payload(i++);
    top.line.text = payload(i++);
  });
  for (const line of report.executiveSummary) line.text = payload(i++);
  for (const section of report.sections) {
    for (const story of section.stories) {
      story.title = payload(i++);
      for (const sentence of story.summary) sentence.text = payload(i++);
      for (const link of story.links) {
        link.url = urlMap.get(link.url) ?? link.url;
        link.sourceName = payload(i++);
        link.title = payload(i++);
      }
    }
  }
  for (const topic of report.dataSections.risingTopics) topic.term = payload(i++);
  for (const repo of report.dataSections.topRepositories) repo.name = payload(i++);
  for (const model of report.dataSections.topModels) model.name = payload(i++);
  for (const paper of report.dataSections.topPapers) paper.title = payload(i++);
  report.description = payload(i++);
  return { report, knownUrls };
}

describe('Markdown from hostile source text and URLs, parsed by markdown-it with linkify', () => {
  const { report, knownUrls } = hostileReport();
  const markdown = renderMarkdown(report);
  const tokens = md.parse(body(markdown), {});
  const collected = new Set([...knownUrls].map(canonicalUrl));

  it('links only collected URLs, never a javascript:, data: or vbscript: URL', () => {
    let links = 0;
    walk(tokens, (token) => {
      if (token.type !== 'link_open') return;
      links++;
      const href = String(token.attrGet('href') ?? '');
      assert.doesNotMatch(href, /^\s*(?:javascript|data|vbscript|file):/i, href);
      assert.ok(collected.has(canonicalUrl(href)), `link to ${href} is a collected URL`);
    });
    assert.ok(links >= report.references.length, `${links} links`);
  });

  it('resolves every citation to its reference link, and leaves no reference syntax as text', () => {
    const cited = new Map<number, string>();
    walk(tokens, (token) => {
      if (!token.children) return;
      token.children.forEach((child, index) => {
        const next = token.children![index + 1];
        const label = next ? /^\[(\d+)\]$/.exec(next.content) : null;
        if (child.type === 'link_open' && label) cited.set(Number(label[1]), String(child.attrGet('href') ?? ''));
      });
    });
    const html = md.render(body(markdown));
    assert.doesNotMatch(html, /\[\d+\]\[ref-\d+\]/, 'no citation left as literal text');
    for (const reference of report.references) {
      const href = cited.get(reference.n);
      assert.ok(href !== undefined, `citation [${reference.n}] is a link`);
      assert.equal(canonicalUrl(href), canonicalUrl(reference.url), `[${reference.n}] links its reference`);
    }
  });

  it('has no image and no raw HTML', () => {
    walk(tokens, (token) => {
      assert.notEqual(token.type, 'image', `image ${token.attrGet('src')}`);
      assert.ok(token.type !== 'html_inline' && token.type !== 'html_block', `raw HTML ${token.content}`);
    });
  });

  it('has no template delimiter of Hugo, Jekyll or Hexo anywhere', () => {
    for (const delimiter of ['{{', '{%', '{#', '%}', '}}', '#}']) {
      assert.ok(!markdown.includes(delimiter), `${delimiter} in the Markdown`);
    }
  });

  it('shows every story title as the source wrote it (one line), as a heading', () => {
    const headings: string[] = [];
    tokens.forEach((token, index) => {
      if (token.type === 'heading_open' && token.tag === 'h4') headings.push(inlineText(tokens[index + 1]!.children!));
    });
    const titles = report.sections.flatMap((section) => section.stories.map((story) => story.title));
    assert.deepEqual(
      headings,
      titles.map((title) => title.replace(/[\r\n]+/g, ' ')),
    );
  });

  it('keeps the front matter one string per key, with the template engines told to leave the body alone', () => {
    const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
    assert.ok(match);
    const data = parseYaml(match[1]!) as Record<string, unknown>;
    assert.equal(data.description, report.description.replace(/[\r\n]+/g, ' '));
    assert.equal(data.render_with_liquid, false);
    assert.equal(data.disableNunjucks, true);
    for (const line of match[1]!.split('\n')) assert.match(line, /^(?: {2})*(?:- )?[A-Za-z_]+:|^ +- "/, line);
  });

  it('passes the quality gate, which checks every rendered link against the collected URLs', () => {
    const problems = checkReport({
      report,
      markdown,
      json: renderJson(report),
      outputPaths: ['reports/2026/08/2026-08-22.md'],
      knownUrls,
      window: { date: report.date, start: report.window.start, end: report.window.end },
    });
    assert.deepEqual(problems, []);
    const injected = markdown.replace(/^(\[ref-1\]: ).*$/m, '$1javascript:alert(1)');
    assert.ok(
      checkReport({
        report,
        markdown: injected,
        json: renderJson(report),
        outputPaths: [],
        knownUrls,
        window: { date: report.date, start: report.window.start, end: report.window.end },
      }).some((problem) =>
        /markdown links "javascript:alert\(1\)", which is not the URL of a collected item/.test(problem),
      ),
    );
  });
});

describe('front matter that a title tries to break', () => {
  for (const title of ['AI daily\n---\nlayout: evil', 'AI: daily — "quoted" #1', 'yes', '---', 'AI daily\r\nx: 1']) {
    it(`keeps ${JSON.stringify(title)} one title`, () => {
      const { input } = buildInput('en');
      const markdown = renderMarkdown(buildReport({ ...input, title }));
      const match = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
      assert.ok(match);
      const data = parseYaml(match[1]!) as Record<string, unknown>;
      assert.equal(data.title, title.replace(/[\r\n]+/g, ' '));
      assert.equal(data.layout, undefined);
      assert.equal(data.x, undefined);
    });
  }
});

describe('escapeMarkdown and markdownUrl', () => {
  it('writes every payload so that it parses back to the same text, with no link', () => {
    for (const payload of PAYLOADS) {
      const [paragraph] = md.parse(`x ${escapeMarkdown(payload)}`, {}).filter((token) => token.type === 'inline');
      assert.ok(paragraph?.children);
      assert.ok(!paragraph.children.some((token) => token.type === 'link_open' || token.type === 'image'), payload);
      assert.equal(inlineText(paragraph.children), `x ${payload.replace(/[\r\n]+/g, ' ')}`);
    }
  });

  it('writes URLs that no destination, definition or autolink can be closed by, and links only http(s)', () => {
    for (const url of HOSTILE_URLS) {
      const destination = markdownUrl(url)!;
      assert.doesNotMatch(destination, /[()<>[\]\s"\\`]/, destination);
      for (const markdown of [`[a](${destination})`, `[a][r]\n\n[r]: ${destination}`, `<${destination}>`]) {
        const links: string[] = [];
        walk(md.parse(markdown, {}), (token) => {
          if (token.type === 'link_open') links.push(String(token.attrGet('href') ?? ''));
        });
        assert.equal(links.length, 1, markdown);
        assert.equal(canonicalUrl(links[0]!), canonicalUrl(url), markdown);
      }
    }
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'vbscript:x', 'file:///etc/passwd', '//host/x']) {
      assert.equal(markdownUrl(url), undefined, url);
    }
  });
});

describe('escapeMarkdown and markdownUrl over generated hostile strings', () => {
  const PIECES = [
    '[',
    ']',
    '(',
    ')',
    '!',
    '<',
    '>',
    '\\',
    '`',
    '*',
    '_',
    '~',
    '#',
    '|',
    '&',
    ';',
    '&#',
    'amp;',
    'x',
    ' ',
    '\n',
    'https://',
    '://',
    '//',
    'www.',
    '.com',
    'evil',
    '@',
    'a@b.co',
    'javascript:',
    'mailto:',
    '{',
    '}',
    '%',
    '{{',
    '%}',
    '-',
    '+',
    '=',
    '1.',
    '"',
    "'",
    'ab.io',
    ':',
    '/',
    '.',
    'ftp://',
    'x.ai',
    '$',
    '\t',
    '    ',
    '<!--',
    '-->',
    '<a>',
    '\u00a0',
    '：',
    '中文.中国',
    '.рф',
    'localhost',
    '127.0.0.1',
  ];
  /** More text that is plain in one place and markup in another: intraword `_`, domain-like dots. */
  const TEXT_PIECES = [...PIECES, 'demo_20260822.py', 'a_b', '_x', 'x_', 'cs.AI', 'a-b.co', '.en', 'www'];
  /** A deterministic generator (LCG), so a failure is reproducible. */
  function generator(seed: number) {
    let state = seed;
    return (count: number) => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % count;
    };
  }

  it('never lets source text become anything but the same text', () => {
    const next = generator(7);
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let n = 1 + next(12); n > 0; n--) text += PIECES[next(PIECES.length)];
      const escaped = escapeMarkdown(text);
      const blocks = md.parse(`x ${escaped}`, {});
      assert.deepEqual(
        blocks.map((token) => token.type),
        ['paragraph_open', 'inline', 'paragraph_close'],
        JSON.stringify(text),
      );
      const children = blocks[1]!.children!;
      const kinds = children.filter((token) => token.type !== 'text' && token.type !== 'text_special');
      assert.deepEqual(kinds, [], JSON.stringify(text));
      const squash = (value: string) => value.replace(/\s+/g, ' ').trim();
      assert.equal(squash(inlineText(children)), squash(`x ${text}`), JSON.stringify(text));
      for (const delimiter of ['{{', '{%', '{#', '%}', '}}', '#}']) assert.ok(!escaped.includes(delimiter), text);
    }
  });

  it('renders to the very text it was given, escaped as HTML, however few characters were escaped', () => {
    // The most eager linkify there is: bare domains (cs.AI, x.py) and emails too.
    const fuzzy = new MarkdownIt({ html: true, linkify: true });
    fuzzy.linkify.set({ fuzzyLink: true, fuzzyEmail: true });
    const next = generator(13);
    for (let i = 0; i < 3000; i++) {
      let text = '';
      for (let n = 1 + next(12); n > 0; n--) text += TEXT_PIECES[next(TEXT_PIECES.length)];
      const html = fuzzy.render(`x ${escapeMarkdown(text)}`);
      const expected = `x ${text.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ')}`.replace(/[ \t]+$/, '');
      assert.equal(html, `<p>${md.utils.escapeHtml(expected)}</p>\n`, JSON.stringify(text));
    }
    // The text of one of our links: one link, to its URL, whose text is the text as given.
    const next2 = generator(17);
    for (let i = 0; i < 1500; i++) {
      let text = '';
      for (let n = 1 + next2(12); n > 0; n--) text += TEXT_PIECES[next2(TEXT_PIECES.length)];
      const tokens = fuzzy.parse(`x [${escapeMarkdown(text, 'link-text')}](https://host.example/a)`, {})[1]!.children!;
      const kinds = tokens.filter((token) => !['text', 'text_special'].includes(token.type)).map((token) => token.type);
      assert.deepEqual(kinds, ['link_open', 'link_close'], JSON.stringify(text));
      const inside = tokens.slice(tokens.findIndex((token) => token.type === 'link_open') + 1, -1);
      const squash = (value: string) => value.replace(/\s+/g, ' ').trim();
      assert.equal(squash(inlineText(inside)), squash(text), JSON.stringify(text));
    }
    assert.equal(escapeMarkdown('arXiv cs.AI', 'link-text'), 'arXiv cs.AI');
    // The file reads as plain text too: no escape where the character is plain where it stands.
    for (const plain of [
      'demo_code/llm/demo_20260822.py',
      'demo_20260822.en.py',
      'GPT-4.5 e.g. Qwen2.5-VL',
      'snake_case_name',
    ]) {
      assert.equal(escapeMarkdown(plain), plain);
    }
  });

  it('keeps every generated URL one link to itself', () => {
    const next = generator(11);
    for (let i = 0; i < 1500; i++) {
      let url = 'https://host.example/';
      for (let n = 1 + next(10); n > 0; n--) url += PIECES[next(PIECES.length)];
      const destination = markdownUrl(url)!;
      for (const markdown of [`[a](${destination})`, `[a][r]\n\n[r]: ${destination}`, `<${destination}>`]) {
        const links: string[] = [];
        walk(md.parse(markdown, {}), (token) => {
          if (token.type === 'link_open') links.push(String(token.attrGet('href') ?? ''));
        });
        assert.equal(links.length, 1, markdown);
        assert.equal(canonicalUrl(links[0]!), canonicalUrl(url), markdown);
      }
    }
  });
});
