/**
 * The demo step of the LLM analysis: for one top story with a technique a developer can try, the
 * model writes a short self-contained Python 3 file; it is checked and run in the sandbox
 * (src/analyze/demo/, docs/decisions/0101) and retried with the failure named, and only a demo
 * that ran becomes part of the report (which the run publishes as
 * `demo_code/<section>/demo_YYYYMMDD.py`). Every model call goes through the `LlmCaller` (cache,
 * budget, call records, record/replay), keyed by the story's excerpts and the feedback it was given,
 * so an unchanged re-run makes no call; the sandbox runs again each time (it is cheap) and the
 * output published is that run's real output.
 */
import path from 'node:path';
import { z } from 'zod';
import { ABSOLUTE_PATH_PATTERNS, hasAnsi, SECRET_PATTERNS } from '../../core/hygiene.js';
import type { DemoAbsenceReason, ReportDemo, ReportStory } from '../../core/report.js';
import type { Section } from '../../core/types.js';
import { safeSourceText } from '../../render/source-text.js';
import { buildDemo, type DemoDraft, type SandboxOptions } from '../demo/index.js';
import type { CallEstimate } from './budget.js';
import type { LlmCaller } from './caller.js';
import type { LlmConfig } from './config.js';
import { cleanModelText, unsafeOutput } from './output-safety.js';
import { cacheKey, type Excerpt, estimateTokens, fenceExcerpts, systemPrompt } from './prompt.js';

/** Sections whose stories usually carry a technique a developer can try; best-ranked top story first. */
export const DEMO_SECTIONS: readonly Section[] = ['llm', 'opensource', 'multimodal', 'papers'];

const DEMO_OUTPUT_TOKENS = 1_500;
const MAX_SHOWS_CHARS = 200;

export const demoAnswerSchema = z.object({
  shows: z.string().min(1).max(1_000),
  code: z.string().min(1).max(40_000),
});
export type DemoAnswer = z.infer<typeof demoAnswerSchema>;

/** The demo task; `feedback` is the previous attempt's failure (absent the first time). */
export function demoPrompt(
  language: 'zh' | 'en',
  excerpts: readonly Excerpt[],
  boundary: string,
  allowedModules: readonly string[],
  feedback: string | undefined,
): string {
  const modules =
    allowedModules.length > 0
      ? `Python's standard library and these modules only: ${allowedModules.join(', ')}`
      : "Python's standard library only";
  const shows =
    language === 'zh'
      ? 'one Chinese sentence (at most 60 characters) saying what the demo shows'
      : 'one sentence (at most 25 words) saying what the demo shows';
  return [
    'Task: demo',
    'The excerpts below are the sources of one news story. Write a short, self-contained Python 3 program (at most 80 lines) that lets a developer try the technique or idea of this story on a toy example.',
    `Use ${modules}. No network, no files outside the current folder, no subprocesses, no exec/eval. It must finish within a few seconds and print a few lines that show the result; the output must be the same on every run (no time, randomness without a fixed seed, or machine details).`,
    `Answer with "shows": ${shows}, and "code": the whole program.`,
    '',
    fenceExcerpts(excerpts, boundary),
    ...(feedback === undefined
      ? []
      : [
          '',
          'Your previous program was refused. What failed (our checker, not a source):',
          feedback,
          'Write the whole program again so that it passes.',
        ]),
  ].join('\n');
}

/** The first top story (best first) in a demo section, with the excerpts it can be written from. */
export function chooseDemoStory(
  topStoryIds: readonly string[],
  stories: ReadonlyMap<string, ReportStory>,
  excerptsOf: (storyId: string) => readonly Excerpt[],
): { story: ReportStory; excerpts: readonly Excerpt[] } | undefined {
  for (const id of topStoryIds) {
    const story = stories.get(id);
    if (!story || !DEMO_SECTIONS.includes(story.section)) continue;
    const excerpts = excerptsOf(id);
    if (excerpts.length > 0) return { story, excerpts };
  }
  return undefined;
}

export interface DemoStepOptions {
  config: LlmConfig;
  caller: LlmCaller;
  language: 'zh' | 'en';
  /** Report date (YYYY-MM-DD): names the file. */
  date: string;
  story: ReportStory;
  excerpts: readonly Excerpt[];
  /** URL of the collected item the demo names as its source (the first excerpt's). */
  url: string;
  /** Asks the run's budget for room for one more call; true = granted (and counted). */
  reserve: (estimate: CallEstimate) => boolean;
  boundary: (texts: readonly string[]) => string;
  /** Sandbox overrides (tests inject a missing `unshare`). */
  sandbox?: SandboxOptions;
  /** Told why a demo failed or is missing, in detail (logs only: it may name local paths). */
  onProblem?: (detail: string) => void;
}

export type DemoStepResult = { demo: ReportDemo } | { absence: { reason: DemoAbsenceReason; attempts: number } };

class DemoStop extends Error {
  constructor(readonly reason: 'budget' | 'no-answer') {
    super(reason);
  }
}

/** What a demo's output must not hold to be published: a local path or a log-like line of ours would pass the gate masked. */
export function publishableOutput(stdout: string): string | undefined {
  for (const pattern of ABSOLUTE_PATH_PATTERNS) {
    if (pattern.test(stdout)) return 'it prints an absolute file path; print only the results of the example.';
  }
  if (hasAnsi(stdout)) return 'it prints terminal escape sequences; print plain text.';
  if (SECRET_PATTERNS.some((pattern) => pattern.test(stdout))) return 'it prints something shaped like a credential.';
  return undefined;
}

/** Asks for, checks and runs the demo of `story`; never throws for the model's or the sandbox's failure. */
export async function demoStep(options: DemoStepOptions): Promise<DemoStepResult> {
  const { config, caller, language, story, excerpts } = options;
  const settings = config.demo;
  const allowedModules = [...settings.allowedModules].sort();
  let answers = 0;
  const generate = async (feedback: string | undefined): Promise<DemoDraft> => {
    const boundary = options.boundary(excerpts.map((e) => e.text));
    const system = systemPrompt(language, boundary);
    const prompt = demoPrompt(language, excerpts, boundary, allowedModules, feedback);
    if (!options.reserve({ inputTokens: estimateTokens(system + prompt), outputTokens: DEMO_OUTPUT_TOKENS })) {
      throw new DemoStop('budget');
    }
    const answer = await caller.call<DemoAnswer>({
      part: `demo:${story.id}${feedback === undefined ? '' : `:again${answers}`}`,
      key: cacheKey({
        provider: config.provider,
        model: config.model,
        language,
        task: 'demo',
        shape: { allowedModules, feedback: feedback ?? null },
        excerpts,
      }),
      schema: demoAnswerSchema,
      name: 'demo',
      system,
      prompt,
      maxOutputTokens: DEMO_OUTPUT_TOKENS,
    });
    const shows = answer ? cleanModelText(answer.shows) : '';
    if (!answer || shows === '' || shows.length > MAX_SHOWS_CHARS || unsafeOutput(shows) !== undefined) {
      throw new DemoStop('no-answer');
    }
    answers++;
    // What runs is what is published: control characters and credential-looking tokens removed first.
    return { shows, code: safeSourceText(answer.code.replace(/\r\n?/g, '\n')) };
  };

  let build: Awaited<ReturnType<typeof buildDemo>>;
  try {
    build = await buildDemo({ section: story.section, title: story.title, url: options.url }, generate, {
      date: options.date,
      maxAttempts: settings.attempts,
      checkOutput: publishableOutput,
      sandbox: {
        python: settings.python,
        unshare: settings.unshare,
        prlimit: settings.prlimit,
        timeoutMs: settings.timeoutMs,
        cpuSeconds: settings.cpuSeconds,
        memoryBytes: settings.memoryMb * 1_048_576,
        allowedModules,
        ...options.sandbox,
      },
    });
  } catch (error) {
    if (!(error instanceof DemoStop)) throw error;
    // A budget or answer stop after failed runs: the demo failed; before any run: the stop's reason.
    options.onProblem?.(`the demo stopped: ${error.reason}`);
    return { absence: { reason: answers > 0 ? 'failed' : error.reason, attempts: answers } };
  }
  if (!build.published) {
    options.onProblem?.(build.reason);
    const unavailable = build.attempts.at(-1)?.outcome === 'unavailable';
    return { absence: { reason: unavailable ? 'sandbox-unavailable' : 'failed', attempts: build.attempts.length } };
  }
  const run = build.run;
  return {
    demo: {
      storyId: story.id,
      section: story.section,
      storyTitle: story.title,
      url: new URL(options.url).href,
      shows: build.draft.shows,
      code: build.draft.code,
      output: safeSourceText(run.stdout),
      outputTruncated: run.truncated,
      path: build.relativePath,
      // A command configured by its path is named by its file name: no local path is published.
      commands: run.commands.map((command) =>
        [settings.python, settings.unshare, settings.prlimit].reduce(
          (text, name) => (path.isAbsolute(name) ? text.split(name).join(path.basename(name)) : text),
          command,
        ),
      ),
      limits: run.limits,
      attempts: build.attempts.length,
    },
  };
}
