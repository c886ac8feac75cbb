/**
 * MinHash signatures and LSH banding: candidate near-duplicate pairs in near-linear time.
 *
 * - Each token is hashed once with FNV-1a (32 bit); permutation i is `fmix32(hash ^ seed_i)`
 *   (MurmurHash3's finaliser), with seeds drawn from a fixed SplitMix32 stream: signatures are the
 *   same on every run and machine.
 * - LSH splits a signature of `bands × rows` values into bands; two signatures that agree on all rows
 *   of any band become a candidate pair. The chance that a pair of Jaccard similarity s is found is
 *   1 - (1 - s^rows)^bands (defaults 32 × 4: s = 0.45 → 0.74, 0.6 → 0.99, 0.1 → 0.003).
 * - Candidates are only candidates: callers verify them with an exact similarity.
 */

/** FNV-1a over UTF-16 code units (of `text[start, end)`), 32 bit unsigned. */
export function fnv1a32(text: string, start = 0, end = text.length): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3 fmix32: a bijective avalanche mixer of a 32-bit value. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A deterministic stream of 32-bit seeds (SplitMix32). */
function seedStream(seed: number, count: number): Uint32Array {
  const seeds = new Uint32Array(count);
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    seeds[i] = fmix32(state);
  }
  return seeds;
}

export interface MinHasherOptions {
  /** Number of hash permutations (signature length). Default 128. */
  permutations?: number;
  /** Seed of the permutation family. Default fixed. */
  seed?: number;
}

/** Signature of an empty token set: every slot at its maximum, so it matches nothing but another empty set. */
const EMPTY_SLOT = 0xffffffff;

/** A MinHash function with a fixed permutation family. */
export interface MinHasher {
  readonly permutations: number;
  /** Signature of a token set (duplicates in `tokens` do not matter). */
  signature(tokens: readonly string[]): Uint32Array;
  /** The same signature written into `into` (of length `permutations`, a view of a larger array, say). */
  signatureInto(tokens: readonly string[], into: Uint32Array): void;
  /**
   * {@link signatureInto} of the tokens whose {@link fnv1a32} hashes are `hashes[0, length)`, written
   * into `into` from `at` (a {@link SignatureBlock}'s values, say).
   */
  signatureOfHashesInto(hashes: Uint32Array, length: number, into: Uint32Array, at?: number): void;
}

/** Creates a MinHasher; the same options always give the same signatures. */
export function createMinHasher(options: MinHasherOptions = {}): MinHasher {
  const permutations = options.permutations ?? 128;
  const seeds = seedStream(options.seed ?? 0x5eed_1234, permutations);
  /** Takes a token (its hash) into the signature at `into[at…]`: each slot keeps its permutation's minimum. */
  const addToken = (base: number, into: Uint32Array, at: number) => {
    for (let i = 0; i < permutations; i++) {
      const value = fmix32(base ^ seeds[i]!);
      if (value < into[at + i]!) into[at + i] = value;
    }
  };
  return {
    permutations,
    signature(tokens: readonly string[]): Uint32Array {
      const signature = new Uint32Array(permutations);
      this.signatureInto(tokens, signature);
      return signature;
    },
    signatureInto(tokens: readonly string[], signature: Uint32Array): void {
      signature.fill(EMPTY_SLOT);
      for (const token of tokens) addToken(fnv1a32(token), signature, 0);
    },
    signatureOfHashesInto(hashes: Uint32Array, length: number, into: Uint32Array, at = 0): void {
      into.fill(EMPTY_SLOT, at, at + permutations);
      for (let k = 0; k < length; k++) addToken(hashes[k]!, into, at);
    },
  };
}

/** Estimated Jaccard similarity: the share of slots where two signatures agree. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  const length = Math.min(a.length, b.length);
  if (length === 0) return 0;
  let equal = 0;
  for (let i = 0; i < length; i++) if (a[i] === b[i]) equal++;
  return equal / length;
}

/** Exact Jaccard similarity of two sets (0 when both are empty). */
export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const value of small) if (large.has(value)) shared++;
  return shared / (a.size + b.size - shared);
}

export interface LshOptions {
  /** Number of bands. Default 32. */
  bands?: number;
  /** Rows per band; bands × rows must not exceed the signature length. Default 4. */
  rows?: number;
  /**
   * A bucket with more members than this (a boilerplate title shared by hundreds of items) pairs each
   * member with the bucket's first member only, instead of all pairs: keeps the work linear. Default 50.
   */
  maxBucketSize?: number;
}

/**
 * Every signature's LSH band keys, band by band (`band * count + index`): two independent 32-bit
 * hashes of a band's rows make one 53-bit key (random collisions ~ never), kept as `high` (21 bits)
 * and `low` (32 bits, as an Int32Array stores them); an empty signature (no tokens), which pairs with
 * nothing, has high -1 and low 0 in every band, which no key has. Half the memory of the signatures,
 * and no object per signature.
 */
export interface BandKeys {
  readonly bands: number;
  readonly rows: number;
  readonly count: number;
  readonly high: Int32Array;
  readonly low: Int32Array;
}

/** Room for the band keys of `count` signatures. */
export function createBandKeys(count: number, bands = 32, rows = 4): BandKeys {
  return { bands, rows, count, high: new Int32Array(bands * count), low: new Int32Array(bands * count) };
}

/** Writes the band keys of the signature `values[at, at + bands × rows)` (and at least two values) as signature `index`. */
export function setBandKeys(keys: BandKeys, index: number, values: Uint32Array, at: number): void {
  const { bands, rows, count, high, low } = keys;
  const empty = values[at] === EMPTY_SLOT && values[at + 1] === EMPTY_SLOT;
  for (let band = 0; band < bands; band++) {
    if (empty) {
      high[band * count + index] = -1;
      low[band * count + index] = 0;
      continue;
    }
    let h = 0x811c9dc5 ^ band;
    let l = 0x01000193 + band;
    for (let row = 0; row < rows; row++) {
      const value = values[at + band * rows + row]!;
      h = fmix32(Math.imul(h ^ value, 0x01000193));
      l = fmix32((l + value) ^ 0x9e3779b9);
    }
    high[band * count + index] = h & 0x1fffff;
    low[band * count + index] = l;
  }
}

/** Gives signature `to` the band keys of signature `from` (the same signature's). */
export function copyBandKeys(keys: BandKeys, from: number, to: number): void {
  const { bands, count, high, low } = keys;
  for (let band = 0; band < bands; band++) {
    high[band * count + to] = high[band * count + from]!;
    low[band * count + to] = low[band * count + from]!;
  }
}

/** The band keys of the signatures; throws as a band too long for one would. */
function toBandKeys(signatures: readonly Uint32Array[], bands: number, rows: number): BandKeys {
  // The error names the signature the first band that runs past one meets first.
  let short = -1;
  for (let index = 0; index < signatures.length; index++) {
    const length = signatures[index]!.length;
    if (length >= bands * rows) continue;
    if (short === -1 || Math.floor(length / rows) < Math.floor(signatures[short]!.length / rows)) short = index;
  }
  if (short !== -1) {
    throw new RangeError(
      `signature of length ${signatures[short]!.length} is shorter than ${bands} bands × ${rows} rows`,
    );
  }
  const keys = createBandKeys(signatures.length, bands, rows);
  const padded = new Uint32Array(Math.max(bands * rows, 2)); // (a signature of one value is no empty one)
  for (let index = 0; index < signatures.length; index++) {
    const signature = signatures[index]!;
    padded.fill(0);
    padded.set(signature.length > padded.length ? signature.subarray(0, padded.length) : signature);
    setBandKeys(keys, index, padded, 0);
  }
  return keys;
}

/**
 * Whether `a` and `b` have one key in some band before `band` where `a`'s bucket recorded all its
 * pairs (`starred` marks the members of oversized buckets, band by band): then the pair is recorded.
 */
function shareEarlierBand(keys: BandKeys, a: number, b: number, band: number, starred: Uint8Array): boolean {
  const { count, high, low } = keys;
  for (let earlier = 0; earlier < band; earlier++) {
    const offset = earlier * count;
    if (starred[offset + a] === 1) continue;
    if (high[offset + a] === high[offset + b] && low[offset + a] === low[offset + b]) return true;
  }
  return false;
}

/**
 * Candidate pairs [i, j] (i < j, indexes into `signatures`) that share at least one LSH band.
 * Empty signatures (no tokens) never pair. Output is sorted and free of duplicates.
 */
export function lshCandidatePairs(
  signatures: readonly Uint32Array[],
  options: LshOptions = {},
): Array<[number, number]> {
  const count = signatures.length;
  const keys = lshCandidateKeys(signatures, options);
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < keys.length; k++) pairs.push([Math.floor(keys[k]! / count), keys[k]! % count]);
  return pairs;
}

/**
 * {@link lshCandidatePairs} as keys `i * signatures.length + j`, ascending and distinct, in one
 * typed array (no pair object per candidate).
 */
export function lshCandidateKeys(
  signatures: readonly Uint32Array[] | BandKeys,
  options: LshOptions = {},
): Float64Array {
  const bands = options.bands ?? 32;
  const rows = options.rows ?? 4;
  const maxBucketSize = options.maxBucketSize ?? 50;
  const keys = Array.isArray(signatures) ? toBandKeys(signatures, bands, rows) : (signatures as BandKeys);
  if (keys.bands !== bands || keys.rows !== rows) {
    throw new RangeError(`band keys of ${keys.bands} bands × ${keys.rows} rows, not ${bands} × ${rows}`);
  }
  const count = keys.count;
  // Pair keys (i * count + j) collected in a growable typed array, then sorted and de-duplicated:
  // far less garbage than a Set of numbers at 100k items.
  let pairKeys = new Float64Array(1024);
  let pairCount = 0;
  const addPair = (key: number) => {
    if (pairCount === pairKeys.length) {
      const grown = new Float64Array(pairKeys.length * 2);
      grown.set(pairKeys);
      pairKeys = grown;
    }
    pairKeys[pairCount++] = key;
  };
  const starred = new Uint8Array(bands * count);
  // Buckets of one band in an open-addressing table over one typed array (a Map keyed by 53-bit numbers
  // costs a heap number per lookup): a slot is four numbers side by side, the band key's two halves and
  // its members' linked list in index order (head, tail; head -1 for an empty slot); `used` lists the
  // slots in the order their buckets were opened, and only they are emptied for the next band.
  const tableSize = 2 ** Math.max(4, Math.ceil(Math.log2(count * 2 + 1)));
  const tableMask = tableSize - 1;
  const table = new Int32Array(tableSize * 4);
  for (let slot = 0; slot < tableSize; slot++) table[slot * 4 + 2] = -1;
  const nextMember = new Int32Array(count);
  const used = new Int32Array(count);
  // Most band keys are one item's alone. A first pass counts keys by a small hash of them (up to 2, in a
  // table that stays in cache); only items whose count reached 2 can share their key with another, and
  // only they go into the buckets: the buckets with two members or more are the same, in the same order.
  const countBits = Math.max(4, Math.ceil(Math.log2(count * 8 + 1)));
  const seen = new Uint8Array(2 ** countBits);
  let bucket = new Int32Array(16);
  for (let band = 0; band < bands; band++) {
    const bandHigh = keys.high.subarray(band * count, (band + 1) * count);
    const bandLow = keys.low.subarray(band * count, (band + 1) * count);
    seen.fill(0);
    for (let index = 0; index < count; index++) {
      if (bandLow[index] === 0 && bandHigh[index] === -1) continue; // empty signature
      const counter = (Math.imul(bandLow[index]! ^ bandHigh[index]!, 0x9e3779b1) >>> (32 - countBits)) | 0;
      if (seen[counter]! < 2) seen[counter]!++;
    }
    let usedCount = 0;
    for (let index = 0; index < count; index++) {
      const high = bandHigh[index]!;
      const low = bandLow[index]!;
      if (low === 0 && high === -1) continue; // empty signature
      if (seen[(Math.imul(low ^ high, 0x9e3779b1) >>> (32 - countBits)) | 0] !== 2) continue;
      let slot = (low ^ high) & tableMask;
      while (table[slot * 4 + 2] !== -1 && (table[slot * 4] !== high || table[slot * 4 + 1] !== low)) {
        slot = (slot + 1) & tableMask;
      }
      nextMember[index] = -1;
      if (table[slot * 4 + 2] === -1) {
        table[slot * 4] = high;
        table[slot * 4 + 1] = low;
        table[slot * 4 + 2] = index;
        used[usedCount++] = slot;
      } else {
        nextMember[table[slot * 4 + 3]!] = index;
      }
      table[slot * 4 + 3] = index;
    }
    for (let u = 0; u < usedCount; u++) {
      const slot = used[u]!;
      const head = table[slot * 4 + 2]!;
      table[slot * 4 + 2] = -1;
      if (nextMember[head] === -1) continue; // one member: no pair
      let size = 0;
      for (let member = head; member !== -1; member = nextMember[member]!) {
        if (size === bucket.length) {
          const grown = new Int32Array(bucket.length * 2);
          grown.set(bucket);
          bucket = grown;
        }
        bucket[size++] = member;
      }
      if (size > maxBucketSize) {
        const first = bucket[0]!;
        for (let k = 0; k < size; k++) starred[band * count + bucket[k]!] = 1;
        for (let k = 1; k < size; k++) addPair(first * count + bucket[k]!);
        continue;
      }
      for (let a = 0; a < size; a++) {
        const left = bucket[a]!;
        for (let b = a + 1; b < size; b++) {
          const right = bucket[b]!;
          // A pair met in an earlier band is already recorded: skip it here instead of sorting it out later.
          if (!shareEarlierBand(keys, left, right, band, starred)) addPair(left * count + right);
        }
      }
    }
  }
  return distinctSorted(pairKeys.subarray(0, pairCount));
}

/** The distinct values of `keys`, ascending (sorts `keys` in place; the result shares its buffer). */
export function distinctSorted(keys: Float64Array): Float64Array {
  keys.sort();
  let distinct = 0;
  for (let k = 0; k < keys.length; k++) {
    if (k === 0 || keys[k] !== keys[k - 1]) keys[distinct++] = keys[k]!;
  }
  return keys.subarray(0, distinct);
}
