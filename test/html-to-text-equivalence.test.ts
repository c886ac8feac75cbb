/**
 * htmlToText reads htmlparser2's events directly (decision 0233); before, it ran sanitize-html and
 * read its HTML back. This holds the two to the same text on every real article page (whole pages
 * and their extracted articles), every item body of the real feed captures and of feedparser's
 * conformance documents, our hostile fixtures, and markup made to test each rule's edge.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { htmlToText } from '../src/core/sanitize.js';
import { decodeBody } from '../src/http/charset.js';
import { parseFeedDocument } from '../src/sources/feed.js';
import { filesUnder, repoRoot, sharedDir } from './support/fixtures.js';
import { htmlToTextBySanitizer } from './support/sanitizer-oracle.js';

function checkSame(label: string, html: string): void {
  const now = htmlToText(html);
  const before = htmlToTextBySanitizer(html);
  if (now !== before) {
    let at = 0;
    while (at < now.length && now[at] === before[at]) at++;
    assert.fail(
      `${label}: the texts part at character ${at}:\n  now:    ${JSON.stringify(now.slice(Math.max(0, at - 40), at + 60))}\n  before: ${JSON.stringify(before.slice(Math.max(0, at - 40), at + 60))}`,
    );
  }
}

/** Item bodies of every feed document under `dir` that parses (decoded as the connector decodes it). */
function feedBodies(dir: string): Array<{ label: string; html: string }> {
  const bodies: Array<{ label: string; html: string }> = [];
  for (const file of filesUnder(dir)) {
    if (!/\.(?:xml|rss|rdf|atom)$/.test(file)) continue;
    let items: ReturnType<typeof parseFeedDocument>;
    try {
      items = parseFeedDocument(decodeBody(readFileSync(file)).text, 'https://feed.example/');
    } catch {
      continue;
    }
    items.forEach((item, index) => {
      for (const html of [item.contentHtml, item.title]) {
        if (html) bodies.push({ label: `${path.relative(sharedDir, file)} #${index}`, html });
      }
    });
  }
  return bodies;
}

/** Markup made to reach each rule's edge (nesting limit, hidden and dropped elements, bad markup). */
const EDGES: readonly string[] = [
  `${'<div>'.repeat(250)}deep text${'</div>'.repeat(250)} after`,
  `${'<span>'.repeat(199)}<p>at the limit</p><p>x</p>${'</span>'.repeat(199)}`,
  `${'<b>'.repeat(200)}<svg><text>drawn</text></svg> kept${'</b>'.repeat(200)}`,
  '<p hidden>hidden <b>all</b></p> shown <div style="display: none">gone</div><span aria-hidden="true">no</span> yes',
  '<p style="color:red; visibility:hidden">a</p><p style="x:y">b</p>',
  'Second <svg onload=alert(1)> post',
  '<script>var a = "</p>";</script>after <style>p{}</style>more <noscript>ns</noscript>end',
  '<textarea>&lt;b&gt; kept?</textarea><select><option>one</option></select><title>t</title>body',
  '<template><p>inert</p></template><button>Click</button><video>v<track></video><audio>a</audio>ok',
  '<p>one<p>two</p></p></p><br></br><hr/>three</br>four',
  '<table><tr><td>a</td><th>b</th></tr><tr><td>c<td>d</table>',
  '<ul><li>x<li>y</ul><dl><dt>t<dd>d</dl>',
  'a &amp;amp; b &lt;p&gt; &#x41;&#65; &nbsp;&copy;&notanentity; &amp c & d',
  '<!-- comment --><![CDATA[ cdata ]]><?pi x?><!DOCTYPE html>text',
  '<P>Upper</P><DIV>case</DIV><BR>',
  '<math><mi>x</mi></math><iframe src="x">frame</iframe><object>o</object><embed>e',
  '<div><span>unclosed <b>bold <i>italic</div> out',
  '</span></div>stray closes<p>p</p></i>',
  '<p\u0000>nul</p>\u2028line\u00a0nbsp\u200bzw',
  '<svg><svg><p>nested</p></svg></svg>visible<svg/>after',
  '<figure><figcaption>cap</figcaption></figure><pre>  pre\n  text</pre>',
  '<head><title>x</title></head><body><article><header>h</header><main>m</main><footer>f</footer></article></body>',
  '<p>a</p>\n\n\n<p>b</p>   <p> c </p>',
  '<canvas>c</canvas><div hidden=""><p>h</p></div><p aria-hidden=" TRUE ">x</p>y',
  // Each rule where a break (or its absence) shows in the text.
  `${'<span>'.repeat(199)}<p>a</p><p>b</p>`,
  `${'<span>'.repeat(200)}<p>a</p><p>b</p>`,
  `${'<span>'.repeat(201)}<td>a</td><td>b</td>`,
  '<p>a<svg></svg></p>b<p>c<svg/>d</p>e',
  '<div>a<script>x</script></div>b<div>c<style>y</style></div>d',
  '<div>a<b hidden>x</b></div>b<td>c<i style="display:none">y</i></td>d',
  '<div>a</span></div>b<p>c</i></p>d',
  '<p>a<br>b</p>c<hr>d<br/>e',
  '<td>a</td><td>b</td><th>c</th>d',
  '<div><svg><g><p>x</p></g></svg>a</div>b',
];

describe('htmlToText on htmlparser2 gives what it gave on sanitize-html', () => {
  it('on the real article pages, whole and extracted', () => {
    const articles = path.join(sharedDir, 'fixtures/articles');
    let pages = 0;
    for (const file of filesUnder(articles)) {
      if (!file.endsWith('.html')) continue;
      checkSame(path.relative(articles, file), readFileSync(file, 'utf8'));
      pages++;
    }
    assert.ok(pages > 100, `only ${pages} pages`);
  });

  it('on every item body and title of the real captures and the conformance documents', () => {
    const bodies = [
      ...feedBodies(path.join(sharedDir, 'fixtures/real')),
      ...feedBodies(path.join(sharedDir, 'fixtures/feedparser')),
    ];
    assert.ok(bodies.length > 3000, `only ${bodies.length} bodies`);
    for (const { label, html } of bodies) checkSame(label, html);
  });

  it('on our hostile fixtures and on markup made for each rule', () => {
    for (const file of filesUnder(path.join(repoRoot, 'test/fixtures'))) {
      if (/\.(?:html|xml)$/.test(file)) checkSame(path.relative(repoRoot, file), readFileSync(file, 'utf8'));
    }
    for (const [index, html] of EDGES.entries()) checkSame(`edge ${index}`, html);
  });
});
