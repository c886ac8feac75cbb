/**
 * What `sourceSentenceRefusal` refuses in real text: every sentence of the shared real captures and
 * article pages that the summarizer could otherwise quote, and every real title. A sentence with a
 * URL, an email address or a command is refused by design; a sentence refused as an instruction or
 * a title refused at all is a false positive unless it really addresses its reader, so those stay
 * few (the figures are printed as diagnostics and quoted in the README).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { decodeHTML } from 'entities';
import { splitSentences } from '../src/analyze/summarize.js';
import { sourceSentenceRefusal } from '../src/core/hygiene.js';
import { filesUnder, realDir, sharedDir } from './support/fixtures.js';
import { captureText } from './support/verify-labelled.js';

const stripTags = (text: string) => decodeHTML(decodeHTML(text).replace(/<[^>]*>/g, ' ')).replace(/<[^>]*>/g, ' ');

function realTexts(): { sentences: string[]; titles: string[] } {
  const sentences = new Set<string>();
  const titles = new Set<string>();
  for (const full of filesUnder(realDir)) {
    const file = path.relative(realDir, full);
    // Tables of links (a cumulative arXiv list) and the manifest are no prose.
    if (!/\.(?:xml|json|jsonl|md|html|txt)$/.test(file) || /MANIFEST|cumulative/.test(file)) continue;
    let text: string;
    try {
      text = stripTags(captureText(file));
    } catch {
      continue; // a capture that is not JSON where it says so (a recording wrapper's error text)
    }
    for (const sentence of splitSentences(text)) sentences.add(sentence);
    const raw = readFileSync(full, 'utf8');
    for (const match of raw.matchAll(/<title[^>]*>([\s\S]*?)<\/title>/g)) {
      titles.add(decodeHTML(match[1]!.replace(/<!\[CDATA\[|\]\]>/g, '')).trim());
    }
  }
  const articles = path.join(sharedDir, 'fixtures/articles');
  for (const name of readdirSync(articles)) {
    const dir = path.join(articles, name);
    if (!statSync(dir).isDirectory()) continue;
    const html = readFileSync(path.join(dir, 'expected.html'), 'utf8');
    for (const sentence of splitSentences(stripTags(html.replace(/<\/(?:p|div|li|h\d)>|<br\s*\/?>/g, '\n')))) {
      sentences.add(sentence);
    }
    const metadata = JSON.parse(readFileSync(path.join(dir, 'expected-metadata.json'), 'utf8')) as { title?: string };
    if (metadata.title) titles.add(metadata.title);
  }
  // Only sentences the summarizer could quote otherwise: 12+ characters and four words (or eight
  // Han characters) once URLs are cut out, no table row.
  const usable = [...sentences].filter((sentence) => {
    const rest = sentence.replace(/\S*(?:https?:\/\/|www\.)\S*/g, ' ').trim();
    const han = (rest.match(/\p{Script=Han}/gu) ?? []).length;
    const words = rest.split(/\s+/).filter((word) => /\p{L}/u.test(word)).length;
    return !sentence.includes('|') && sentence.length <= 600 && rest.length >= 12 && (han >= 8 || words >= 4);
  });
  return { sentences: usable, titles: [...titles].filter((title) => title !== '') };
}

test('real sentences and titles: few refused, and none as an instruction unless it addresses its reader', (t) => {
  const { sentences, titles } = realTexts();
  assert.ok(sentences.length > 10_000, `${sentences.length} sentences`);
  const byClass = new Map<string, string[]>();
  for (const sentence of sentences) {
    const refusal = sourceSentenceRefusal(sentence);
    if (refusal === undefined) continue;
    const kind = refusal.replace(/ \(.*$/s, '');
    byClass.set(kind, [...(byClass.get(kind) ?? []), sentence]);
  }
  const refused = [...byClass.values()].reduce((sum, list) => sum + list.length, 0);
  t.diagnostic(`${sentences.length} usable sentences, ${refused} refused`);
  for (const [kind, list] of byClass) t.diagnostic(`${kind}: ${list.length}`);
  // Mostly sentences that hold a URL; a handful addressed to the reader ("please click here").
  assert.ok(refused / sentences.length < 0.03, `${refused} of ${sentences.length} refused`);
  const instructions = byClass.get('an instruction to the reader or the writer') ?? [];
  assert.ok(instructions.length <= 10, instructions.join('\n'));
  const refusedTitles = titles.filter((title) => sourceSentenceRefusal(title, { title: true }) !== undefined);
  t.diagnostic(`${titles.length} titles, ${refusedTitles.length} refused`);
  assert.deepEqual(refusedTitles, []);
});
