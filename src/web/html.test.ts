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
    const html = page({
      title: '<T>',
      siteTitle: 'ai-daily',
      current: '/sources',
      query: '"q"',
      body: h`<h1>x</h1>`,
      lang: 'en',
    });
    assert.match(html, /<title>&#60;T&#62; · ai-daily<\/title>/);
    assert.match(html, /<a href="\/sources" aria-current="page">Sources<\/a>/);
    assert.match(
      html,
      /<form class="search" action="\/search" method="get" role="search"><input type="search" name="q" value="&#34;q&#34;"/,
    );
    assert.equal(html.match(/<main/g)?.length, 1);
    assert.match(html, /<link rel="stylesheet" href="\/static\/app.css">/);
    assert.match(html, /<html lang="en">/);
  });

  it('speaks the language it is given, keeps `lang` in its links and offers the switch', () => {
    const html = page({
      title: 'x',
      siteTitle: 'ai-daily',
      current: '/runs',
      report: 'r1',
      body: h`<h1>x</h1>`,
      lang: 'zh',
      keepLang: 'zh',
      switchTo: { zh: '/runs?report=r1&lang=zh', en: '/runs?report=r1' },
    });
    assert.match(html, /<html lang="zh">/);
    assert.match(html, /<a href="\/runs\?report=r1&#38;lang=zh" aria-current="page">运行记录<\/a>/);
    assert.match(html, /<a href="\/\?report=r1&#38;lang=zh">归档<\/a>/);
    assert.match(html, /<input type="hidden" name="lang" value="zh">/);
    assert.match(
      html,
      /<strong lang="zh">中文<\/strong> \/ <a href="\/runs\?report=r1" lang="en" hreflang="en">English<\/a>/,
    );
    assert.doesNotMatch(html, /Archive|Sources|Runs|Search|read-only/);
  });
});
