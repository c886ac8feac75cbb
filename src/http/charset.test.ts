import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { realBytes } from '../../test/support/fixtures.js';
import {
  charsetFromDocument,
  decodeBody,
  demoronize,
  detectCharset,
  looksLikeGb18030,
  normalizeCharset,
  xmlWideCharset,
} from './charset.js';

const bytes = (text: string, charset: string) => new Uint8Array(iconv.encode(text, charset));

describe('normalizeCharset', () => {
  it('maps WHATWG labels to the decoder used', () => {
    assert.equal(normalizeCharset('GB2312'), 'gb18030');
    assert.equal(normalizeCharset('"gbk"'), 'gb18030');
    assert.equal(normalizeCharset('ISO-8859-1'), 'windows-1252');
    assert.equal(normalizeCharset('UTF8'), 'utf-8');
    assert.equal(normalizeCharset('Big5'), 'big5');
    assert.equal(normalizeCharset('shift_jis'), 'shift_jis');
    assert.equal(normalizeCharset('no-such-charset'), undefined);
    assert.equal(normalizeCharset(''), undefined);
  });
});

describe('charsetFromDocument', () => {
  it('reads the XML declaration and HTML meta tags', () => {
    assert.equal(charsetFromDocument(Buffer.from('<?xml version="1.0" encoding="gb2312"?><rss/>')), 'gb2312');
    assert.equal(charsetFromDocument(Buffer.from("\n  <?xml version='1.0' encoding='ISO-8859-1' ?>")), 'ISO-8859-1');
    assert.equal(charsetFromDocument(Buffer.from('<html><head><meta charset="big5"></head>')), 'big5');
    assert.equal(
      charsetFromDocument(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')),
      'windows-1252',
    );
    assert.equal(charsetFromDocument(Buffer.from('<rss version="2.0"></rss>')), undefined);
  });
});

describe('detectCharset / decodeBody', () => {
  it('honours a UTF-8 BOM and strips it', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<rss>é</rss>')]);
    const decoded = decodeBody(body, 'text/xml; charset=iso-8859-1');
    assert.deepEqual([decoded.charset, decoded.source], ['utf-8', 'bom']);
    assert.equal(decoded.text, '<rss>é</rss>');
  });

  it('honours a UTF-16LE BOM', () => {
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<rss>中文</rss>', 'utf16le')]);
    const decoded = decodeBody(body);
    assert.equal(decoded.charset, 'utf-16le');
    assert.equal(decoded.text, '<rss>中文</rss>');
  });

  it('decodes well-formed UTF-8 once, C1 controls read as windows-1252, as any Unicode text', () => {
    const decoded = decodeBody(Buffer.from('<t>don\u0092t 中文</t>'), 'text/xml; charset=utf-8');
    assert.deepEqual([decoded.charset, decoded.source], ['utf-8', 'utf-8-valid']);
    assert.equal(decoded.text, '<t>don\u2019t 中文</t>');
    assert.deepEqual(detectCharset(Buffer.from('<t>é</t>')), { charset: 'utf-8', source: 'utf-8-valid' });
  });

  it('prefers valid UTF-8 over a wrong declaration', () => {
    const body = Buffer.from('<?xml version="1.0" encoding="gb2312"?><t>中文 café</t>');
    const decoded = decodeBody(body, 'text/xml; charset=gbk');
    assert.deepEqual([decoded.charset, decoded.source], ['utf-8', 'utf-8-valid']);
    assert.match(decoded.text, /中文 café/);
  });

  it('uses the Content-Type charset for non-UTF-8 bytes', () => {
    const decoded = decodeBody(bytes('<t>人工智能 新闻</t>', 'gbk'), 'application/rss+xml; charset="GBK"');
    assert.deepEqual([decoded.charset, decoded.source], ['gb18030', 'header']);
    assert.equal(decoded.text, '<t>人工智能 新闻</t>');
  });

  it('decodes Big5 (traditional Chinese) from the header', () => {
    const text = '<title>人工智慧 機器學習 臺灣</title>';
    const decoded = decodeBody(bytes(text, 'big5'), 'text/xml; charset=big5');
    assert.equal(decoded.charset, 'big5');
    assert.equal(decoded.text, text);
  });

  it('decodes Big5 from an HTML meta tag', () => {
    const text = '<html><head><meta charset="big5"></head><body>語言模型發佈</body></html>';
    const decoded = decodeBody(bytes(text, 'big5'), 'text/html');
    assert.deepEqual([decoded.charset, decoded.source], ['big5', 'declaration']);
    assert.equal(decoded.text, text);
  });

  it('decodes Windows-1252 punctuation (0x80–0x9F) correctly', () => {
    const text = '<p>“Smart quotes” — €5 … naïve</p>';
    const decoded = decodeBody(bytes(text, 'windows-1252'), 'text/html; charset=windows-1252');
    assert.equal(decoded.text, text);
  });

  it('falls back to windows-1252 when nothing is declared and the bytes are not UTF-8', () => {
    const decoded = decodeBody(bytes('Größe für Straße', 'latin1'));
    assert.deepEqual([decoded.charset, decoded.source], ['windows-1252', 'fallback']);
    assert.equal(decoded.text, 'Größe für Straße');
  });

  it('a UTF-8 header over GBK bytes falls through to the XML declaration', () => {
    const text = '<?xml version="1.0" encoding="gbk"?><rss><title>深度学习</title></rss>';
    const decoded = decodeBody(bytes(text, 'gbk'), 'application/xml; charset=utf-8');
    assert.deepEqual([decoded.charset, decoded.source], ['gb18030', 'declaration']);
    assert.equal(decoded.text, text);
  });

  it('a UTF-8 header over undeclared GBK bytes is sniffed as GB18030, not decoded as garbage', () => {
    const text = '<rss><title>大模型发布：开源权重与推理成本</title></rss>';
    const decoded = decodeBody(bytes(text, 'gbk'), 'application/xml; charset=utf-8');
    assert.deepEqual([decoded.charset, decoded.source], ['gb18030', 'sniffed']);
    assert.equal(decoded.text, text);
  });

  it('invalid UTF-8 declared as UTF-8 decodes with U+FFFD and never throws', () => {
    const body = Buffer.from([0x3c, 0x74, 0x3e, 0x61, 0xff, 0x62, 0xc3, 0x3c, 0x2f, 0x74, 0x3e]);
    const decoded = decodeBody(body, 'text/xml; charset=utf-8');
    assert.deepEqual([decoded.charset, decoded.source], ['utf-8', 'fallback']);
    assert.equal(decoded.text, '<t>a\uFFFDb\uFFFD</t>');
  });

  it('latin-1 text does not look like GB18030', () => {
    assert.equal(looksLikeGb18030(bytes('Übersicht: für Käufer, schön und süß', 'latin1')), false);
    assert.equal(looksLikeGb18030(bytes('中文新闻标题与正文', 'gbk')), true);
  });
});

describe('real non-UTF-8 captures', () => {
  it('QQ news (GB2312 declared in the XML)', () => {
    const decoded = decodeBody(realBytes('rss/qq-news-china_gb2312_2018-09-18.xml'), 'text/xml');
    assert.deepEqual([decoded.charset, decoded.source], ['gb18030', 'declaration']);
    assert.ok(!decoded.text.includes('\uFFFD'));
    assert.match(decoded.text, /<title>[^<]*新闻/);
  });

  it('kc0011 forum (GB2312)', () => {
    const decoded = decodeBody(realBytes('rss/kc0011-forum-zh_gb2312_2020-01.xml'));
    assert.equal(decoded.charset, 'gb18030');
    assert.match(decoded.text, /投资资讯网交易在线/);
    assert.ok(!decoded.text.includes('\uFFFD'));
  });

  it('jn.pt (ISO-8859-1) keeps Portuguese accents', () => {
    const decoded = decodeBody(realBytes('rss/jn-pt-news_iso-8859-1_2018-01-03.xml'), 'application/rss+xml');
    assert.equal(decoded.charset, 'windows-1252');
    assert.match(decoded.text, /[ãçéõáí]/);
    assert.ok(!decoded.text.includes('\uFFFD'));
    assert.ok(!/Ã[£§©]/.test(decoded.text), 'no UTF-8 mojibake');
  });

  it('golem.de (ISO-8859-1 RDF) keeps German umlauts', () => {
    const bytesRead = realBytes('rss/golem-de_rss1.0-rdf_iso-8859-1_2023-01_trimmed.xml');
    const decision = detectCharset(bytesRead, 'application/rdf+xml; charset=ISO-8859-1');
    assert.deepEqual(decision, { charset: 'windows-1252', source: 'header' });
    const decoded = decodeBody(bytesRead, 'application/rdf+xml; charset=ISO-8859-1');
    assert.match(decoded.text, /[äöüß]/);
    assert.ok(!decoded.text.includes('\uFFFD'));
  });
});

describe('UTF-16 and UTF-32, with and without a byte-order mark', () => {
  const xml =
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Caf\u00e9 \u2019 \u{1F600}</title></channel></rss>';
  const encode = (charset: string, bom: boolean) => iconv.encode(xml, charset, { addBOM: bom });

  for (const charset of ['utf-16le', 'utf-16be', 'utf-32le', 'utf-32be']) {
    for (const bom of [true, false]) {
      it(`decodes ${charset} ${bom ? 'with' : 'without'} a BOM`, () => {
        const decoded = decodeBody(encode(charset, bom));
        assert.equal(decoded.charset, charset);
        assert.equal(decoded.source, bom ? 'bom' : 'sniffed');
        assert.equal(decoded.text.replace(/^\uFEFF/, ''), xml);
      });
    }
  }

  it('tells a document starting with "<" by its byte pattern, and leaves ASCII alone', () => {
    assert.equal(xmlWideCharset(iconv.encode('<rss>', 'utf-16be')), 'utf-16be');
    assert.equal(xmlWideCharset(iconv.encode('<rss>', 'utf-32le')), 'utf-32le');
    assert.equal(xmlWideCharset(Buffer.from('<rss>')), undefined);
    assert.equal(xmlWideCharset(Buffer.from([0x3c, 0x00])), undefined);
  });
});

describe('demoronize', () => {
  it('reads C1 controls in Unicode text as windows-1252, keeping the undefined codes', () => {
    assert.equal(demoronize('don\u0092t \u0093q\u0094 \u0080'), 'don\u2019t \u201cq\u201d \u20ac');
    assert.equal(demoronize('a\u0081b'), 'a\u0081b');
    assert.equal(decodeBody(Buffer.from('<t>don\u0092t</t>', 'utf8')).text, '<t>don\u2019t</t>');
  });
});
