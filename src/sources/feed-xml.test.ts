import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeBase64Content,
  mapBodyElements,
  renameUnsafeNames,
  rootElementName,
  stripDoctype,
  truncatedAfterLastEntry,
} from './feed-xml.js';

describe('stripDoctype', () => {
  it('removes a DOCTYPE with an internal subset holding quotes, brackets and ">"', () => {
    const text = `<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY a "x > y">\n <!ENTITY b '[z]'>\n]>\n<rss><channel/></rss>`;
    assert.equal(stripDoctype(text), '<?xml version="1.0"?>\n\n<rss><channel/></rss>');
  });

  it('leaves a DOCTYPE written inside CDATA or a comment as text', () => {
    const text = '<rss><!-- <!DOCTYPE x> --><item><description><![CDATA[<!DOCTYPE html>]]></description></item></rss>';
    assert.equal(stripDoctype(text), text);
  });

  it('removes an unterminated DOCTYPE to the end', () => {
    assert.equal(stripDoctype('<rss/><!DOCTYPE rss [ <!ENTITY a "'), '<rss/>');
  });
});

describe('renameUnsafeNames', () => {
  it('renames unsafe element and attribute names, with or without a prefix, and nothing else', () => {
    assert.equal(
      renameUnsafeNames(
        '<item><__proto__ a="1">x</__proto__><ns:constructor/><p prototype="y" title="the constructor">t</p></item>',
      ),
      '<item><x-unsafe-__proto__ a="1">x</x-unsafe-__proto__><ns:x-unsafe-constructor/><p x-unsafe-prototype="y" title="the constructor">t</p></item>',
    );
  });

  it('leaves text, CDATA and comments alone', () => {
    const text = '<title>__proto__ and constructor</title><d><![CDATA[<constructor>]]></d><!-- <prototype> -->';
    assert.equal(renameUnsafeNames(text), text);
  });

  it('renames in a tag whatever the case, after prose that only mentions the names', () => {
    const prose = '<p>The Constructor of a prototype chain</p><d>a __proto__ b</d>';
    assert.equal(renameUnsafeNames(prose), prose);
    assert.equal(
      renameUnsafeNames(`${prose}<CONSTRUCTOR x="1"/><a ns:Prototype="2">t</a>`),
      `${prose}<x-unsafe-CONSTRUCTOR x="1"/><a ns:x-unsafe-Prototype="2">t</a>`,
    );
  });
});

describe('decodeBase64Content', () => {
  it('decodes mode="base64" elements into escaped text and drops the mode', () => {
    const encoded = Buffer.from('a <b>&</b>').toString('base64');
    assert.equal(
      decodeBase64Content(`<title type="text/html" mode="base64">\n ${encoded}\n</title>`),
      '<title type="text/html" >a &lt;b&gt;&amp;&lt;/b&gt;</title>',
    );
  });

  it('leaves content that is not base64 as it is', () => {
    const text = '<title mode="base64">not base64!</title>';
    assert.equal(decodeBase64Content(text), text);
  });
});

describe('truncatedAfterLastEntry', () => {
  it('cuts after the last complete item and closes the elements left open', () => {
    assert.equal(
      truncatedAfterLastEntry('<rss><channel><item><title>a</title></item><item><title>b'),
      '<rss><channel><item><title>a</title></item></channel></rss>',
    );
    assert.equal(
      truncatedAfterLastEntry('<a:feed><a:entry><a:id>1</a:id></a:entry><a:entry>'),
      '<a:feed><a:entry><a:id>1</a:id></a:entry></a:feed>',
    );
  });

  it('ignores tags inside CDATA and self-closed elements when closing', () => {
    assert.equal(
      truncatedAfterLastEntry('<rss><channel><image/><item><d><![CDATA[<div>]]></d></item><item>'),
      '<rss><channel><image/><item><d><![CDATA[<div>]]></d></item></channel></rss>',
    );
  });

  it('gives undefined when no entry is complete', () => {
    assert.equal(truncatedAfterLastEntry('<rss><channel><item><title>a'), undefined);
  });
});

describe('mapBodyElements / rootElementName', () => {
  it('reads body elements as content:encoded in RSS only', () => {
    assert.equal(
      mapBodyElements('<rss><item><xhtml:body xmlns:xhtml="x"><p>t</p></xhtml:body></item></rss>'),
      '<rss><item><content:encoded><p>t</p></content:encoded></item></rss>',
    );
    const atom = '<feed><entry><content type="xhtml"><body>t</body></content></entry></feed>';
    assert.equal(mapBodyElements(atom), atom);
  });

  it('finds the root element after the prolog', () => {
    assert.equal(rootElementName('<?xml version="1.0"?>\n<!-- c --><!DOCTYPE rss><rss version="2.0">'), 'rss');
    assert.equal(rootElementName('<rdf:RDF xmlns:rdf="x">'), 'RDF');
    assert.equal(rootElementName('just text'), undefined);
  });
});
