/**
 * Fingerprints of what the pipeline makes, for speed work that must not change a thing: one sha256
 * per step over
 *
 * - **parse**: every real feed, Atom and arXiv capture parsed by its connector's parse function;
 * - **normalize**: the same items through normalizeItem (or the error each throws);
 * - a synthetic day of N items (bench/pipeline.ts): its normalised **items**, **clusters**, ranked
 *   **stories** (scores included), the **selection** and the **top** stories.
 *
 * Run before and after a change, and compare: `node --import tsx bench/fingerprint.ts [N …]`
 * (default 20000). A faster version of a step prints the same lines.
 */
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { RawItem } from '../src/core/types.js';
import { normalizeItem } from '../src/pipeline/normalize.js';
import { parseArxivDocument } from '../src/sources/arxiv.js';
import { parseFeedDocument } from '../src/sources/feed.js';
import { realDir, realText } from '../test/support/fixtures.js';
import { BENCH_FEED_SOURCE } from './parse.js';
import { loadSamples, normalizeDay, runStages, syntheticDay } from './pipeline.js';

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Every capture under fixtures/real/{rss,atom,arxiv}, parsed and normalised. */
function captures(): { parsed: RawItem[][]; normalized: unknown[] } {
  const fetchedAt = new Date('2026-08-22T02:00:00Z');
  const parsed: RawItem[][] = [];
  const normalized: unknown[] = [];
  for (const folder of ['rss', 'atom', 'arxiv']) {
    for (const file of readdirSync(path.join(realDir, folder)).sort()) {
      if (!file.endsWith('.xml')) continue;
      const text = realText(`${folder}/${file}`);
      let items: RawItem[];
      try {
        items = folder === 'arxiv' ? parseArxivDocument(text) : parseFeedDocument(text);
      } catch (error) {
        parsed.push([{ error: String(error) } as unknown as RawItem]);
        continue;
      }
      parsed.push(items);
      for (const item of items) {
        try {
          normalized.push(normalizeItem(item, { source: BENCH_FEED_SOURCE, fetchedAt }));
        } catch (error) {
          normalized.push({ error: String(error) });
        }
      }
    }
  }
  return { parsed, normalized };
}

const sizes = process.argv.slice(2).map(Number);
const { parsed, normalized } = captures();
console.log(`captures: parse ${digest(parsed)}  normalize ${digest(normalized)}  (${normalized.length} items)`);
const samples = loadSamples();
for (const count of sizes.length > 0 ? sizes : [20_000]) {
  const items = normalizeDay(syntheticDay(count, samples));
  const { clusters, ranking, selected, top } = runStages(items);
  const stories = ranking.all();
  console.log(
    `${count} items: items ${digest(items)}  clusters ${digest(clusters)}  stories ${digest(stories)}  ` +
      `selection ${digest(selected.map((story) => story.id))}  top ${digest(top)}`,
  );
}
