/**
 * Golden reports: each recorded day (shared/fixtures/days) in both languages runs through the real
 * CLI (`ai-daily run --replay`, spawned, default config), and its Markdown and JSON must equal the
 * files kept in test/fixtures/golden byte for byte. A change to what the report says therefore
 * shows up as a diff in review. When the change is intended, regenerate them and commit the diff:
 *
 *   UPDATE_GOLDEN=1 node --import tsx --test test/e2e/golden.test.ts
 *
 * (`UPDATE_GOLDEN=1 npm test` does the same as part of the whole suite.) The files are our own
 * outputs; the test also checks they hold no absolute path or host detail of the machine.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { dayFile, repoRoot, sharedDir } from '../support/fixtures.js';
import { runReplayDay } from '../support/replay-day.js';

const goldenDir = path.join(repoRoot, 'test/fixtures/golden');
const update = process.env.UPDATE_GOLDEN === '1';
const UPDATE_HINT =
  'If the change is intended, regenerate the golden reports and commit the diff:\n' +
  '  UPDATE_GOLDEN=1 node --import tsx --test test/e2e/golden.test.ts';

/** A line diff (longest common subsequence) as hunks with `context` lines around each change. */
export function lineDiff(expected: string, actual: string, context = 2, maxLines = 120): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  // Trim the common head and tail, so the table below covers only the changed middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head += 1;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) {
    tail += 1;
  }
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const ops: { kind: ' ' | '-' | '+'; line: string }[] = a.slice(0, head).map((line) => ({ kind: ' ', line }));
  if (midA.length * midB.length <= 4_000_000) {
    const width = midB.length + 1;
    const lcs = new Uint32Array((midA.length + 1) * width);
    for (let i = midA.length - 1; i >= 0; i--) {
      for (let j = midB.length - 1; j >= 0; j--) {
        lcs[i * width + j] =
          midA[i] === midB[j]
            ? lcs[(i + 1) * width + j + 1]! + 1
            : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length || j < midB.length) {
      if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
        ops.push({ kind: ' ', line: midA[i++]! });
        j++;
      } else if (i < midA.length && (j === midB.length || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
        ops.push({ kind: '-', line: midA[i++]! });
      } else {
        ops.push({ kind: '+', line: midB[j++]! });
      }
    }
  } else {
    for (const line of midA) ops.push({ kind: '-', line });
    for (const line of midB) ops.push({ kind: '+', line });
  }
  for (const line of a.slice(a.length - tail)) ops.push({ kind: ' ', line });

  const shown = new Set<number>();
  ops.forEach((op, index) => {
    if (op.kind === ' ') return;
    for (let k = Math.max(0, index - context); k <= Math.min(ops.length - 1, index + context); k++) shown.add(k);
  });
  const out: string[] = [];
  let previous = -2;
  for (const index of [...shown].sort((x, y) => x - y)) {
    if (index !== previous + 1) out.push(`@@ line ${index + 1} @@`);
    const op = ops[index]!;
    out.push(`${op.kind} ${op.line}`);
    previous = index;
  }
  return out.length > maxLines
    ? [...out.slice(0, maxLines), `… ${out.length - maxLines} more diff lines`].join('\n')
    : out.join('\n');
}

/** Machine details that must never reach a published report. */
function machineDetails(): string[] {
  const details = [repoRoot, path.resolve(sharedDir), os.tmpdir(), os.homedir()];
  const host = os.hostname();
  if (host.length >= 6 && host !== 'localhost') details.push(host);
  return details.filter((detail) => detail.length > 1 && detail !== '/');
}

describe('golden reports of the recorded days', { concurrency: 2 }, () => {
  for (const day of ['2026-08-22', '2026-04-28']) {
    for (const lang of ['zh', 'en'] as const) {
      it(`${day} (${lang}): Markdown and JSON equal the golden files`, async () => {
        const result = await runReplayDay({ recordedDayFile: dayFile(day), lang });
        for (const detail of machineDetails()) {
          assert.ok(!result.markdown.includes(detail), `the Markdown report holds a machine detail: ${detail}`);
          assert.ok(!result.jsonText.includes(detail), `the JSON report holds a machine detail: ${detail}`);
        }
        const outputs = [
          { file: path.join(goldenDir, `${day}.${lang}.md`), text: result.markdown },
          { file: path.join(goldenDir, `${day}.${lang}.json`), text: result.jsonText },
        ];
        for (const { file, text } of outputs) {
          const name = path.relative(repoRoot, file);
          if (update) {
            mkdirSync(goldenDir, { recursive: true });
            writeFileSync(file, text);
          }
          assert.ok(existsSync(file), `${name} is missing.\n${UPDATE_HINT}`);
          const golden = readFileSync(file, 'utf8');
          if (golden !== text) {
            assert.fail(
              `${name} differs from this run's report (- golden, + now):\n${lineDiff(golden, text)}\n\n${UPDATE_HINT}`,
            );
          }
        }
      });
    }
  }
});

describe('golden reports: the diff', () => {
  it('shows changed lines with context and marks removed and added lines', () => {
    const diff = lineDiff('a\nb\nc\nd\ne\nf', 'a\nb\nC\nd\ne\nf\ng');
    assert.equal(diff, ['@@ line 1 @@', '  a', '  b', '- c', '+ C', '  d', '  e', '  f', '+ g'].join('\n'));
  });
});
