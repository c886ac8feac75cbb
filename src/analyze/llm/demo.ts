/**
 * The demo step of the LLM analysis: for one top story with a technique a developer can try (its
 * sources have body text, not a title only), the model writes a short self-contained Python 3 file
 * and one line on what it shows, citing the story's excerpts; the line is checked by the verifier
 * like every model sentence, the code by the code policy and the sandbox (src/analyze/demo/,
 * docs/decisions/0101), its output like source text; a refusal is fed back to the model, and only
 * a demo worth showing becomes part of the report (which the run publishes as
 * `demo_code/<section>/demo_YYYYMMDD.py`). Every model call goes through the `LlmCaller` (cache,
 * budget, call records, record/replay), keyed by the story's excerpts and the feedback it was given,
 * so an unchanged re-run makes no call; the sandbox runs again each time (it is cheap) and the
 * output published is that run's real output.
 */
import path from 'node:path';
import { z } from 'zod';
import type { LlmConfig } from '../../config/schema.js';
import { ABSOLUTE_PATH_PATTERNS, hasAnsi, LOG_LINE_PATTERNS, SECRET_PATTERNS } from '../../core/hygiene.js';
import type { DemoAbsence, ReportDemo, ReportStory } from '../../core/report.js';
import { safeSourceText } from '../../core/source-text.js';
import type { Section } from '../../core/types.js';
import { buildDemo, type DemoDraft, policyModules, type SandboxOptions } from '../demo/index.js';
import type { DraftSentence } from '../verify/types.js';
import type { CallEstimate } from './budget.js';
import type { LlmCaller } from './caller.js';
import { cleanModelText, unsafeOutput } from './output-safety.js';
import { cacheKey, type Excerpt, estimateTokens, fenceExcerpts, sentenceSchema, systemPrompt } from './prompt.js';

/** Sections whose stories usually carry a technique a developer can try; best-ranked top story first. */
export const DEMO_SECTIONS: readonly Section[] = ['llm', 'opensource', 'multimodal', 'papers'];

const DEMO_OUTPUT_TOKENS = 1_500;
/** Longest "what it shows" line, in characters. */
export const MAX_SHOWS_CHARS = 200;
/** Body text (after the title and source lines) an excerpt needs for its story to get a demo, in estimated tokens. */
const MIN_BODY_TOKENS = 40;

export const demoAnswerSchema = z.object({
  shows: sentenceSchema,
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
  const shows =
    language === 'zh'
      ? 'one Chinese sentence (at most 60 characters) saying what the demo shows, as it relates to the story'
      : 'one sentence (at most 25 words) saying what the demo shows, as it relates to the story';
  return [
    'Task: demo',
    'The excerpts below are the sources of one news story. Write a short, self-contained Python 3 program (at most 80 lines) that lets a developer try the technique or idea of this story on a toy example.',
    `Import only these modules: ${policyModules(allowedModules).join(', ')}. No files, no network, no processes; no eval, exec, compile, __import__, open, globals, vars or getattr with a computed name; no dunder attributes except __init__ and __name__; no string holding a URL, a shell command or a file path. It must finish within a few seconds and print a few lines of plain text that show the result (no Markdown, HTML or links); the output must be the same on every run (no time, randomness without a fixed seed, or machine details).`,
    `Answer with "shows": {"text": ${shows}, "cites": the numbers of the excerpts it rests on}, and "code": the whole program.`,
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

/** The body of an excerpt: its text after the title line and the "(source)" line. */
function excerptBody(excerpt: Excerpt): string {
  return excerpt.text.split('\n').slice(2).join('\n').trim();
}

/**
 * The first top story (best first) in a demo section whose sources have body text to write a demo
 * from (a title alone describes no technique), with its excerpts; else why there is none.
 */
export function chooseDemoStory(
  topStoryIds: readonly string[],
  stories: ReadonlyMap<string, ReportStory>,
  excerptsOf: (storyId: string) => readonly Excerpt[],
): { story: ReportStory; excerpts: readonly Excerpt[] } | { absence: 'no-story' | 'no-source-text' } {
  let candidates = 0;
  for (const id of topStoryIds) {
    const story = stories.get(id);
    if (!story || !DEMO_SECTIONS.includes(story.section)) continue;
    candidates++;
    const excerpts = excerptsOf(id);
    if (excerpts.some((excerpt) => estimateTokens(excerptBody(excerpt)) >= MIN_BODY_TOKENS)) return { story, excerpts };
  }
  return { absence: candidates === 0 ? 'no-story' : 'no-source-text' };
}

/** A "shows" line that passed the verifier, with the items it cites; or what was wrong with it. */
export type CheckedShows = { text: string; itemIds: string[] } | { problem: string };

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
  /**
   * Checks the "shows" line against the story's excerpts, the way every model sentence is checked
   * (the analyzer passes its verifier); a line that fails is a refused attempt, fed back.
   */
  checkShows: (sentence: DraftSentence) => CheckedShows;
  /** Sandbox overrides (tests inject a missing `bwrap`). */
  sandbox?: SandboxOptions;
  /** Told why a demo failed or is missing, in detail (logs only: it may name local paths). */
  onProblem?: (detail: string) => void;
}

export type DemoStepResult =
  | {
      /** The demo, but for the reference numbers of its "shows" line (the analyzer numbers references). */
      demo: Omit<ReportDemo, 'cites'>;
      /** The items the "shows" line cites. */
      showsItemIds: string[];
    }
  | { absence: DemoAbsence };

class DemoStop extends Error {
  constructor(readonly reason: 'budget' | 'no-answer') {
    super(reason);
  }
}

/**
 * What a demo's output must not hold to be published, checked like source text: a credential shape,
 * a local path, a URL, Markdown or HTML, terminal escapes or a log-like line.
 */
export function publishableOutput(stdout: string): string | undefined {
  if (SECRET_PATTERNS.some((pattern) => pattern.test(stdout))) return 'it prints something shaped like a credential.';
  if (ABSOLUTE_PATH_PATTERNS.some((pattern) => pattern.test(stdout))) {
    return 'it prints an absolute file path; print only the results of the example.';
  }
  if (hasAnsi(stdout)) return 'it prints terminal escape sequences; print plain text.';
  if (LOG_LINE_PATTERNS.some((pattern) => pattern.test(stdout))) {
    return 'it prints something shaped like a log line (a level tag, a banner, status emoji); print plain results.';
  }
  for (const line of stdout.split('\n')) {
    const unsafe = unsafeOutput(line);
    if (unsafe !== undefined) return `a line of its output ${unsafe}; print plain text (no links, Markdown or HTML).`;
  }
  return undefined;
}

/** Asks for, checks and runs the demo of `story`; never throws for the model's or the sandbox's failure. */
export async function demoStep(options: DemoStepOptions): Promise<DemoStepResult> {
  const { config, caller, language, story, excerpts } = options;
  const settings = config.demo;
  const allowedModules = [...settings.allowedModules].sort();
  let answers = 0;
  const verified = new Map<DemoDraft, { text: string; itemIds: string[] }>();
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
    const shows = answer ? cleanModelText(answer.shows.text) : '';
    if (!answer || shows === '') throw new DemoStop('no-answer');
    answers++;
    // What runs is what is published: control characters and credential-looking tokens removed first.
    return { shows, cites: answer.shows.cites, code: safeSourceText(answer.code.replace(/\r\n?/g, '\n')) };
  };
  const checkShows = (draft: DemoDraft): string | undefined => {
    const checked = options.checkShows({ text: draft.shows, cites: draft.cites ?? [] });
    if ('problem' in checked) return checked.problem;
    verified.set(draft, checked);
    return undefined;
  };

  let build: Awaited<ReturnType<typeof buildDemo>>;
  try {
    build = await buildDemo({ section: story.section, title: story.title, url: options.url }, generate, {
      date: options.date,
      maxAttempts: settings.attempts,
      checkOutput: publishableOutput,
      checkShows,
      sandbox: {
        python: settings.python,
        bwrap: settings.bwrap,
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
    return {
      absence: { reason: build.unavailable ? 'sandbox-unavailable' : 'failed', attempts: build.attempts.length },
    };
  }
  const run = build.run;
  const shows = verified.get(build.draft)!;
  return {
    showsItemIds: shows.itemIds,
    demo: {
      storyId: story.id,
      section: story.section,
      storyTitle: story.title,
      url: new URL(options.url).href,
      shows: shows.text,
      code: build.draft.code,
      output: safeSourceText(run.stdout),
      outputTruncated: false,
      path: build.relativePath,
      // A command configured by its path is named by its file name: no local path is published.
      commands: run.commands.map((command) =>
        [settings.python, settings.bwrap].reduce(
          (text, name) => (path.isAbsolute(name) ? text.split(name).join(path.basename(name)) : text),
          command,
        ),
      ),
      limits: run.limits,
      attempts: build.attempts.length,
    },
  };
}
