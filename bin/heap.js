// The CLI's heap policy, set before anything else runs (bin/ai-daily.js). After each full
// collection V8 lets its heap grow to a multiple of what survived, up to 4× while a program allocates
// fast. A run over a large feed does: it parses, normalises and stores tens of thousands of items,
// most of them garbage a moment later, so a run over 50,000 items that never held more than about
// 220 MiB peaked at about 730 MiB RSS before its next full collection. Growing by a quarter of what
// survives keeps the peak near what the run holds (about 510 MiB) for about 4 % more CPU (more full
// collections, mostly concurrent). V8 reads the flag each time it sets a new limit, so setting it at
// startup takes effect.
import v8 from 'node:v8';

/** How much the heap may grow past what survived the last full collection, in percent. */
export const HEAP_GROWING_PERCENT = 25;

export function limitHeapGrowth() {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
