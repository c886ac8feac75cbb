import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createBandKeys,
  createMinHasher,
  estimateJaccard,
  fnv1a32,
  jaccard,
  lshCandidateKeys,
  lshCandidatePairs,
  setBandKeys,
} from './minhash.js';

function words(count: number, prefix: string): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

describe('minhash', () => {
  it('hashes a span as the string it spans, and signs hashes as the tokens they hash', () => {
    assert.equal(fnv1a32('xx qwen4.5 yy', 3, 10), fnv1a32('qwen4.5'));
    const hasher = createMinHasher({ permutations: 16 });
    const tokens = ['deepseek', 'v4', '多模', 'deepseek'];
    const hashes = new Uint32Array(tokens.map((token) => fnv1a32(token)));
    const signature = new Uint32Array(16);
    hasher.signatureOfHashesInto(hashes, hashes.length, signature);
    assert.deepEqual(signature, hasher.signature(tokens));
  });

  it('hashes deterministically', () => {
    assert.equal(fnv1a32('hello'), 0x4f9f2cab);
    const a = createMinHasher().signature(['x', 'y']);
    const b = createMinHasher().signature(['y', 'x', 'x']);
    assert.deepEqual(a, b);
  });

  it('writes the same signature into a view of a larger array', () => {
    const hasher = createMinHasher({ permutations: 16 });
    const all = new Uint32Array(48).fill(7);
    hasher.signatureInto(['x', 'y'], all.subarray(16, 32));
    assert.deepEqual(all.subarray(16, 32), hasher.signature(['y', 'x']));
    assert.deepEqual([...all.subarray(0, 16), ...all.subarray(32)], new Array(32).fill(7), 'nothing outside the view');
    hasher.signatureInto([], all.subarray(0, 16));
    assert.deepEqual(all.subarray(0, 16), hasher.signature([]));
  });

  it('estimates Jaccard similarity close to the exact value', () => {
    const hasher = createMinHasher({ permutations: 256 });
    const shared = words(60, 's');
    const left = [...shared, ...words(20, 'l')];
    const right = [...shared, ...words(20, 'r')];
    const exact = jaccard(new Set(left), new Set(right)); // 60 / 100
    const estimate = estimateJaccard(hasher.signature(left), hasher.signature(right));
    assert.ok(Math.abs(estimate - exact) < 0.1, `estimate ${estimate} vs exact ${exact}`);
    assert.equal(jaccard(new Set(), new Set()), 0);
  });

  it('finds similar pairs and not dissimilar ones', () => {
    const hasher = createMinHasher();
    const base = words(10, 'w');
    const signatures = [
      hasher.signature(base),
      hasher.signature([...base.slice(0, 9), 'other']), // Jaccard 9/11
      hasher.signature(words(10, 'z')),
      hasher.signature([]),
      hasher.signature([]),
    ];
    assert.deepEqual(lshCandidatePairs(signatures), [[0, 1]]);
    assert.deepEqual([...lshCandidateKeys(signatures)], [0 * signatures.length + 1], 'the same pairs as keys');
    const keys = createBandKeys(signatures.length);
    for (const [index, signature] of signatures.entries()) setBandKeys(keys, index, signature, 0);
    assert.deepEqual([...lshCandidateKeys(keys)], [...lshCandidateKeys(signatures)], 'band keys as the signatures');
  });

  it('keeps a huge bucket linear', () => {
    const hasher = createMinHasher();
    const same = hasher.signature(['untitled']);
    const pairs = lshCandidatePairs(
      Array.from({ length: 200 }, () => same),
      { maxBucketSize: 50 },
    );
    assert.equal(pairs.length, 199);
    assert.ok(pairs.every(([a]) => a === 0));
  });

  it('finds every pair a naive band comparison finds, once, oversized buckets aside', () => {
    const hasher = createMinHasher({ permutations: 16 });
    const vocabulary = words(12, 'v');
    let seed = 3;
    const nextIndex = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % vocabulary.length;
    };
    const signatures = Array.from({ length: 120 }, () =>
      hasher.signature([0, 1, 2].map(() => vocabulary[nextIndex()]!)),
    );
    const options = { bands: 4, rows: 4, maxBucketSize: 1000 };
    const expected: string[] = [];
    for (let a = 0; a < signatures.length; a++) {
      for (let b = a + 1; b < signatures.length; b++) {
        const meet = [0, 1, 2, 3].some((band) =>
          [0, 1, 2, 3].every((row) => signatures[a]![band * 4 + row] === signatures[b]![band * 4 + row]),
        );
        if (meet) expected.push(`${a}-${b}`);
      }
    }
    const found = lshCandidatePairs(signatures, options).map(([a, b]) => `${a}-${b}`);
    assert.ok(expected.length > 100);
    assert.deepEqual(
      found,
      expected.sort(
        (x, y) =>
          Number(x.split('-')[0]) - Number(y.split('-')[0]) || Number(x.split('-')[1]) - Number(y.split('-')[1]),
      ),
    );
    // With small buckets starred, every naive pair that no band-bucket could star is still found.
    const starred = new Set(
      lshCandidatePairs(signatures, { ...options, maxBucketSize: 5 }).map(([a, b]) => `${a}-${b}`),
    );
    assert.ok(starred.size > 0 && starred.size < expected.length);
  });

  it('rejects signatures shorter than the bands', () => {
    assert.throws(() => lshCandidatePairs([new Uint32Array(8), new Uint32Array(8)], { bands: 4, rows: 4 }), RangeError);
    // The error names the signature the first band too long for it meets.
    assert.throws(
      () => lshCandidatePairs([new Uint32Array(14), new Uint32Array(9), new Uint32Array(16)], { bands: 4, rows: 4 }),
      { message: 'signature of length 9 is shorter than 4 bands × 4 rows' },
    );
  });
});
