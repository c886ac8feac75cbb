import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { externalLink, h, highlight, page, raw, storyPath } from './html.js';

describe('web HTML helpers', () => {
  it('escapes every value of the template, keeps SafeHtml and flattens arrays', () => {
    const hostile = '<img src=x onerror="alert(1)">';
    assert.equal(
      h`<p title="${hostile}">${hostile}${[raw('<b>ok</b>'), '&']}${undefined}${false}${0}</p>`.value,
      '<p title="&#60;img src=x onerror=&#34;alert(1)&#34;&#62;">&#60;img src=x onerror=&#34;alert(1)&#34;&#62;<b>ok</b>&#38;0</p>',
    );
  });

  it('links only http(s) URLs; any other scheme is text', () => {
    assert.equal(
      externalLink('https://example.org/a?b="c"', 'x').value,
      '<a href="https://example.org/a?b=%22c%22" rel="noopener noreferrer nofollow" class="external">x</a>',
    );
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,x',
      '/local',
      '//evil.example/x',
      'vbscript:x',
    ]) {
      assert.equal(externalLink(url, '<t>').value, '&#60;t&#62;', url);
    }
    assert.equal(storyPath('a/b?c', '2026-08-22'), '/stories/a%2Fb%3Fc?date=2026-08-22');
  });

  it('marks the terms of a search, escaped, in any case', () => {
    assert.equal(
      highlight('Qwen <b> qwen3 千问x (a.b)', ['qwen', '千问', '<b>', '.']).value,
      '<mark>Qwen</mark> <mark>&#60;b&#62;</mark> <mark>qwen</mark>3 <mark>千问</mark>x (a<mark>.</mark>b)',
    );
  });

  it('frames a page with the site navigation, the search form and one main', () => {
    const html = page({ title: '<T>', siteTitle: 'ai-daily', current: '/sources', query: '"q"', body: h`<h1>x</h1>` });
    assert.match(html, /<title>&#60;T&#62; · ai-daily<\/title>/);
    assert.match(html, /<a href="\/sources" aria-current="page">Sources<\/a>/);
    assert.match(
      html,
      /<form class="search" action="\/search" method="get" role="search"><input type="search" name="q" value="&#34;q&#34;"/,
    );
    assert.equal(html.match(/<main/g)?.length, 1);
    assert.match(html, /<link rel="stylesheet" href="\/static\/app.css">/);
  });
});
