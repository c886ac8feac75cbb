import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSerializedHttpUrl } from './url.js';

describe('isSerializedHttpUrl', () => {
  it('holds only for links the URL parser gives back as written, with or without a base', () => {
    const hosts = [
      'example.com',
      'a.b-c.org',
      'xn--bcher-kva.example',
      'Example.com',
      '1.2.3.4',
      'x.0x7f',
      'a..b',
      'a_b.com',
      'a-.com',
    ];
    const parts = [
      '/',
      'a',
      '.',
      '..',
      '%2e',
      '%2E',
      '%20',
      '%',
      '%zz',
      "'",
      '"',
      '`',
      '{',
      '|',
      '^',
      '[',
      '\\',
      ' ',
      'é',
      '~',
      '!',
      '$',
    ];
    parts.push(
      '&',
      '(',
      '*',
      '+',
      ',',
      ';',
      '=',
      ':',
      '@',
      '?',
      '#',
      '-',
      '_',
      'B',
      '//',
      '/.',
      '/..',
      '.well-known',
      '<',
    );
    let kept = 0;
    for (const scheme of ['https://', 'http://', 'HTTP://', 'ftp://']) {
      for (const host of hosts) {
        for (const port of ['', ':443', ':8080']) {
          for (const first of ['', '/', ...parts]) {
            for (const second of parts) {
              const url = `${scheme}${host}${port}${first}${second}`;
              if (!isSerializedHttpUrl(url)) continue;
              kept++;
              assert.equal(new URL(url).href, url, url);
              assert.equal(new URL(url, 'https://example.org/feed/').href, url, url);
            }
          }
        }
      }
    }
    assert.ok(kept > 300, String(kept));
    assert.equal(isSerializedHttpUrl('https://example.com'), false, 'the parser adds the empty path');
    assert.equal(isSerializedHttpUrl('https://example.com/a/../b'), false);
    assert.equal(isSerializedHttpUrl('https://example.com/a b'), false);
    assert.equal(isSerializedHttpUrl('https://example.com/news/2026/08/a-story?id=3#top'), true);
  });
});
