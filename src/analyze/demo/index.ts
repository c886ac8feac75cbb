/**
 * The demo for one top story: a short Python 3 file the model writes, checked and run in the
 * sandbox (./sandbox.ts: bubblewrap, the code policy of ./policy.py, limits), retried with the
 * failure named, and published only when it is worth showing: it passed the policy, ran to exit
 * code 0 within every limit, printed something, its output passes `checkOutput` and its "what it
 * shows" line passes `checkShows`.
 *
 * The model is behind a `generate(feedback)` callback: the first call gets no feedback, each
 * retry gets the previous failure as text (which check failed and the error output), so the loop
 * is tested without a model. Where the sandbox cannot be made, the model is not even asked. A
 * published demo is `demo_code/<section>/demo_YYYYMMDD.py` under the output folder, with a header
 * comment saying what it shows, which story it illustrates (title and URL of a collected item), how
 * it was checked (commands, limits, exit code, date) and the output it printed; the same output is
 * returned for the report.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SandboxLimits, SandboxOptions, SandboxResult } from './sandbox.js';
import { runPythonDemo, sandboxUnavailable } from './sandbox.js';

export type { SandboxOptions, SandboxResult } from './sandbox.js';
export { policyModules, runPythonDemo, sandboxUnavailable } from './sandbox.js';

/** The story a demo illustrates: a collected item. */
export interface DemoStory {
  /** The report section the story is in (a folder name: lower case, digits, hyphens). */
  section: string;
  title: string;
  url: string;
}

/** What the model returns: the Python source and one line on what it shows (with the excerpts it cites). */
export interface DemoDraft {
  code: string;
  shows: string;
  /** Excerpt numbers the "shows" line cites (as the model gave them). */
  cites?: number[];
}

/** Asks the model for a demo; `feedback` is undefined the first time, then the last failure. */
export type GenerateDemo = (feedback: string | undefined) => Promise<DemoDraft>;

export interface DemoOptions {
  /** Report date, YYYY-MM-DD (names the file). */
  date: string;
  /** When the check ran (header); default now. */
  now?: Date;
  /** Attempts in all, first included (default 3). */
  maxAttempts?: number;
  /** Longest source accepted, in bytes (default 16 KiB): a demo is short. */
  maxCodeBytes?: number;
  sandbox?: SandboxOptions;
  /**
   * Checks what a run printed before it may be published (e.g. no local path); returns the
   * problem, which is fed back to the model like any failure, or undefined.
   */
  checkOutput?: (stdout: string) => string | undefined;
  /**
   * Checks the draft's "what it shows" line before anything runs (the LLM step verifies it against
   * the story's excerpts); returns the problem, fed back like any failure, or undefined.
   */
  checkShows?: (draft: DemoDraft) => string | undefined;
}

export interface DemoAttempt {
  /**
   * 'ok'; the sandbox stage that failed ('policy', 'compile', 'run', 'timeout', 'output': printed
   * past the cap); 'length' (code too long); 'shows' (the line failed its check); 'empty' (printed
   * nothing); 'unpublishable' (its output failed `checkOutput`).
   */
  outcome: 'ok' | 'policy' | 'compile' | 'run' | 'timeout' | 'output' | 'length' | 'shows' | 'empty' | 'unpublishable';
  /** The feedback this attempt produced (absent when it passed). */
  message?: string;
}

export type DemoBuild =
  | {
      published: true;
      /** Relative to the output folder: demo_code/<section>/demo_YYYYMMDD.py. */
      relativePath: string;
      /** The file as published: header comment, then the model's code. */
      content: string;
      /** What the demo printed (capped), to show in the report. */
      output: string;
      /** The draft that ran and the run that passed (for a report that shows them). */
      draft: DemoDraft;
      run: Extract<SandboxResult, { status: 'ok' }>;
      attempts: DemoAttempt[];
    }
  | {
      published: false;
      /** Why there is no demo (the last failure, or the sandbox being unavailable). */
      reason: string;
      /** True when the sandbox cannot be made here: nothing was asked or run. */
      unavailable?: true;
      attempts: DemoAttempt[];
    };

/** demo_code/<section>/demo_YYYYMMDD.py; throws on a date that is not YYYY-MM-DD. */
export function demoRelativePath(section: string, date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`demo date must be YYYY-MM-DD, got "${date}"`);
  return path.posix.join('demo_code', sectionFolder(section), `demo_${date.replace(/-/g, '')}.py`);
}

/** A section name as a folder name: lower-case letters, digits and hyphens, never empty, never "..". */
export function sectionFolder(section: string): string {
  const folder = section
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return folder === '' ? 'general' : folder;
}

/** One line of header text: no line breaks or control characters. */
function headerLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

function describeLimits(limits: SandboxLimits): string {
  return (
    `wall clock ${limits.timeoutMs / 1000} s, CPU ${limits.cpuSeconds} s, address space ` +
    `${Math.round(limits.memoryBytes / 1048576)} MiB, files ${Math.round(limits.fileSizeBytes / 1024)} KiB, ` +
    `output ${Math.round(limits.outputLimitBytes / 1024)} KiB, no network, no new process`
  );
}

/** What the header says of the run that passed. */
export type DemoRunSummary = Pick<
  Extract<SandboxResult, { status: 'ok' }>,
  'exitCode' | 'stdout' | 'commands' | 'limits'
>;

/** The published file: a comment header, then the code as the model wrote it. */
export function renderDemoFile(story: DemoStory, draft: DemoDraft, result: DemoRunSummary, checkedAt: Date): string {
  const output = result.stdout.replace(/\s+$/, '');
  const lines = [
    // First, so that no header text is read as an encoding declaration (PEP 263: "coding: …" in line 1 or 2).
    '# -*- coding: utf-8 -*-',
    '# ai-daily demo',
    `# What it shows: ${headerLine(draft.shows)}`,
    `# Story: ${headerLine(story.title)}`,
    `# Source: ${headerLine(story.url)}`,
    `# Checked on ${checkedAt.toISOString().slice(0, 10)}: exit code ${result.exitCode}`,
    ...result.commands.map((command) => `#   $ ${command}`),
    `# Limits: ${describeLimits(result.limits)}`,
    '# Output:',
    ...output.split('\n').map((line) => `#   ${headerLine(line)}`.trimEnd()),
    '',
  ];
  const code = draft.code.endsWith('\n') ? draft.code : `${draft.code}\n`;
  return `${lines.join('\n')}\n${code}`;
}

/**
 * Asks for a demo, checks and runs it, retries with the failure named up to `maxAttempts` times.
 * Writes nothing: {@link writeDemo} publishes a build that ran.
 */
export async function buildDemo(story: DemoStory, generate: GenerateDemo, options: DemoOptions): Promise<DemoBuild> {
  const relativePath = demoRelativePath(story.section, options.date);
  let url: URL;
  try {
    url = new URL(story.url);
  } catch {
    return { published: false, reason: `the story has no valid URL ("${story.url}")`, attempts: [] };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { published: false, reason: `the story's URL is not http(s) ("${story.url}")`, attempts: [] };
  }
  // No sandbox, no demo: the model is not asked for code that could not run.
  const unavailable = await sandboxUnavailable(options.sandbox);
  if (unavailable !== undefined) return { published: false, reason: unavailable, unavailable: true, attempts: [] };
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const maxCodeBytes = options.maxCodeBytes ?? 16 * 1024;
  const attempts: DemoAttempt[] = [];
  let feedback: string | undefined;
  const refuse = (outcome: Exclude<DemoAttempt['outcome'], 'ok'>, message: string): void => {
    feedback = message;
    attempts.push({ outcome, message });
  };
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const draft = await generate(feedback);
    const size = Buffer.byteLength(draft.code, 'utf8');
    if (size > maxCodeBytes) {
      refuse('length', `The demo is ${size} bytes; keep it under ${maxCodeBytes} bytes.`);
      continue;
    }
    const showsProblem = options.checkShows?.(draft);
    if (showsProblem !== undefined) {
      refuse('shows', `Attempt ${attempt}: the "shows" line was refused: ${showsProblem}`);
      continue;
    }
    const result = await runPythonDemo(draft.code, options.sandbox);
    if (result.status === 'unavailable') {
      return { published: false, reason: result.reason, unavailable: true, attempts };
    }
    if (result.status === 'failed') {
      refuse(result.stage, `Attempt ${attempt} failed at the ${result.stage} check. ${result.message}`);
      continue;
    }
    if (result.stdout.trim() === '') {
      refuse('empty', `Attempt ${attempt} ran but printed nothing; print a few lines that show the result.`);
      continue;
    }
    const outputProblem = options.checkOutput?.(result.stdout);
    if (outputProblem !== undefined) {
      refuse('unpublishable', `Attempt ${attempt} ran, but its output cannot be published: ${outputProblem}`);
      continue;
    }
    attempts.push({ outcome: 'ok' });
    return {
      published: true,
      relativePath,
      content: renderDemoFile({ ...story, url: url.href }, draft, result, options.now ?? new Date()),
      output: result.stdout,
      draft,
      run: result,
      attempts,
    };
  }
  return {
    published: false,
    reason: `no demo passed after ${maxAttempts} attempt${maxAttempts === 1 ? '' : 's'}: ${attempts.at(-1)?.message ?? ''}`,
    attempts,
  };
}

/** Writes a demo that ran under the output folder (temporary file, then rename); returns its path. */
export async function writeDemo(outDir: string, build: Extract<DemoBuild, { published: true }>): Promise<string> {
  const target = path.join(outDir, ...build.relativePath.split('/'));
  await mkdir(path.dirname(target), { recursive: true });
  const temporary = `${target}.tmp-${process.pid}`;
  await writeFile(temporary, build.content, 'utf8');
  await rename(temporary, target);
  return target;
}
