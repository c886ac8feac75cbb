/** Small helpers shared by the benches: number formatting, plain-text tables, timing. */

/** 12345 → "12,345". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en');
}

/** A plain table: a header row, a rule, then the rows; columns right-aligned to their widest cell. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/** The process's peak resident set size so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Best and median of a list of durations (ms). */
export function bestAndMedian(samples: readonly number[]): { best: number; median: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { best: sorted[0] ?? Number.NaN, median };
}

/**
 * Runs `task` until `minMs` have passed and at least `minRuns` times (after one warm-up run) and
 * returns each run's duration in ms.
 */
export function timeRuns(task: () => unknown, options: { minRuns?: number; minMs?: number } = {}): number[] {
  const minRuns = options.minRuns ?? 5;
  const minMs = options.minMs ?? 300;
  task();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < minRuns || performance.now() - started < minMs) {
    const start = performance.now();
    task();
    samples.push(performance.now() - start);
  }
  return samples;
}
