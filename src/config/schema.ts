import { Cron } from 'croner';
import { z } from 'zod';
import { isTimeZone } from '../core/time.js';
import { SECTIONS, SOURCE_KINDS } from '../core/types.js';
import { parseAllowedHost } from '../http/network-policy.js';

/** Control characters (CR and LF among them) that no HTTP header value may hold. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** A value sent as an HTTP header: printable text only (a CR/LF would break every request). */
export const headerValue = z
  .string()
  .min(1)
  .refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters (CR, LF, ...)');

/** A path in the config: an empty one would silently mean the working folder. */
const filePath = (expected: string) => z.string().refine((value) => value.trim() !== '', `is empty: give ${expected}`);

/** (An example with `user:password@` would print as `***@`: messages redact every URL's userinfo.) */
const POSTGRES_URL_EXAMPLE = 'postgres://db.example.org:5432/ai_daily with user:password@ before the host';

/**
 * Where the store lives: `{ path }` is a SQLite file (the default, `driver: sqlite`);
 * `{ driver: postgres, url }` is a PostgreSQL database (`url: "${DATABASE_URL}"` keeps its password
 * out of the file; it is redacted from every log line and error). Parsed to one of
 * `{ driver: 'sqlite', path }` and `{ driver: 'postgres', url }` (src/store/spec.ts#StoreLocation).
 */
export const storeSchema = z
  .strictObject({
    driver: z
      .enum(['sqlite', 'postgres'], { error: 'is sqlite (a file, the default) or postgres (a database URL)' })
      .default('sqlite'),
    /** SQLite file. */
    path: filePath('a SQLite file, for example ./data/ai-daily.db').optional(),
    /** PostgreSQL connection URL. */
    url: z.string().optional(),
  })
  .superRefine((store, ctx) => {
    if (store.driver === 'postgres') {
      if (store.path !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['path'],
          message: 'is for SQLite: with driver: postgres give store.url',
        });
      }
      if (store.url === undefined || store.url.trim() === '') {
        ctx.addIssue({
          code: 'custom',
          path: ['url'],
          message: `is needed with driver: postgres: give the database URL, for example ${POSTGRES_URL_EXAMPLE} (or "\${DATABASE_URL}")`,
        });
      } else if (!/^postgres(ql)?:\/\//i.test(store.url.trim())) {
        ctx.addIssue({
          code: 'custom',
          path: ['url'],
          message: `is not a PostgreSQL URL: it starts with postgres:// or postgresql://, for example ${POSTGRES_URL_EXAMPLE}`,
        });
      }
    } else if (store.url !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message: 'is for PostgreSQL: add driver: postgres (or give store.path for a SQLite file)',
      });
    }
  })
  .transform((store): { driver: 'sqlite'; path: string } | { driver: 'postgres'; url: string } =>
    store.driver === 'postgres'
      ? { driver: 'postgres', url: (store.url ?? '').trim() }
      : { driver: 'sqlite', path: store.path ?? './data/ai-daily.db' },
  );

const timeZone = z.string().refine((tz) => isTimeZone(tz), 'unknown IANA time zone');

/** A four-digit year (1900–2099) or a date (the forms the quality gate reads), which a title that is the same every day must not hold. */
const YEAR_OR_DATE =
  /(?<!\d)(?:19|20)\d{2}(?!\d)|\b\d{4}[-/]\d{1,2}[-/]\d{1,2}\b|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日/;

const idPattern = /^[a-z0-9][a-z0-9-]*$/;

export const sourceSchema = z.strictObject({
  id: z.string().regex(idPattern, 'must be kebab-case: lower-case letters, digits and "-"'),
  name: z.string().min(1).optional(),
  kind: z.enum(SOURCE_KINDS),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  authority: z.number().min(0).max(1).default(0.5),
  section: z.enum(SECTIONS).default('applications'),
  enabled: z.boolean().default(true),
  language: z.enum(['zh', 'en']).optional(),
  timezone: timeZone.optional(),
  /**
   * Keep only items that mention a topic term: `true`, `false`, or `auto` (the default for sources
   * you add): filter a source when most of what it published recently is off-topic, keep an
   * AI-only source whole.
   */
  filterTopics: z.union([z.boolean(), z.literal('auto')]).default('auto'),
  /** The source lists what is popular now (trending, "best of"); unset: from the connector or detected. */
  snapshot: z.boolean().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});

/** A source override: any field of a preset source, by id. */
export const sourceOverrideSchema = sourceSchema.partial().required({ id: true });

export const httpSchema = z.strictObject({
  /** Per-request limit, redirects and body included. */
  timeoutMs: z.number().int().positive().default(20_000),
  /** Limit for one source's whole fetch, retries included. */
  sourceBudgetMs: z.number().int().positive().default(60_000),
  /** Limit for collecting all sources. */
  totalBudgetMs: z.number().int().positive().default(180_000),
  /** Cap on decoded body bytes. */
  maxBytes: z
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  maxRedirects: z.number().int().min(0).max(10).default(5),
  retries: z.number().int().min(0).max(5).default(2),
  /** First backoff delay; doubled on each retry, with jitter. */
  retryBaseMs: z.number().int().min(0).default(500),
  /** A Retry-After longer than this skips the source for this run. */
  retryAfterCapMs: z.number().int().min(0).default(60_000),
  /** Requests at once to one host (every source on that host shares them). */
  perHostConcurrency: z.number().int().min(1).max(16).default(6),
  /**
   * Sources collected at once. Large, so that a source on a free host never waits behind sources
   * queued on a busy one: the per-host limit is what keeps each host's load polite.
   */
  concurrency: z.number().int().min(1).max(64).default(32),
  userAgent: headerValue.optional(),
  /**
   * Hosts (`host` or `host:port`) that may be fetched although they are or resolve to a loopback,
   * private, link-local or other non-public address (a self-hosted feed service).
   */
  allowHosts: z
    .array(
      z.string().superRefine((entry, context) => {
        const parsed = parseAllowedHost(entry);
        if (typeof parsed === 'string') context.addIssue({ code: 'custom', message: parsed });
      }),
    )
    .default([]),
});

const sectionCaps = z.strictObject(Object.fromEntries(SECTIONS.map((s) => [s, z.number().int().min(0).optional()])));

/** A report's title: the same every day, so a year or a date in it would disagree with most report dates. */
const reportTitle = z
  .string()
  .min(1)
  .refine(
    (title) => !YEAR_OR_DATE.test(title),
    'must not contain a year or a date (the report date is added to every report; a fixed one would disagree with it)',
  );

export const reportSchema = z.strictObject({
  /** How many stories the report holds at most. */
  maxStories: z.number().int().min(1).max(500).default(40),
  /** Per-section caps; a section without one gets `defaultSectionCap`. */
  sectionCaps: sectionCaps.default({}),
  defaultSectionCap: z.number().int().min(1).default(8),
  /** Stories in "top stories". */
  topStories: z.number().int().min(1).max(20).default(6),
  /** Name in the front matter's author field. */
  author: z.string().default('ai-daily'),
  /** The same every day: a year or a date in it would disagree with most report dates. */
  title: reportTitle.optional(),
});

export const enrichSchema = z.strictObject({
  /** Fetch the own page of a selected story whose feed text is too short to summarise. */
  enabled: z.boolean().default(true),
  /**
   * Seconds the fetching of article pages may take a run (pages are fetched in parallel, best-ranked
   * story first, under the per-host politeness of `http`); fetches still running then are cancelled.
   */
  budgetSeconds: z.number().min(0).max(3600).default(60),
  /** Bytes of article pages fetched a run at most: no page is started once they are reached. */
  maxBytes: z.number().int().min(0).max(1_000_000_000).default(30_000_000),
  /** Pages fetched a run at most (pages cached in the store do not count); unset: no count limit. */
  maxPages: z.number().int().min(0).max(10_000).optional(),
  /** A story whose items all have less text than this is thin (titles only). */
  minTextChars: z.number().int().min(0).max(100_000).default(200),
});

const weightSchema = z.number().min(0).max(1);

export const rankingSchema = z.strictObject({
  /** Weights of the score parts; scaled to sum to 1. */
  weights: z
    .strictObject({
      recency: weightSchema.default(0.2),
      authority: weightSchema.default(0.25),
      coverage: weightSchema.default(0.2),
      engagement: weightSchema.default(0.2),
      relevance: weightSchema.default(0.15),
    })
    .refine(
      (w) => w.recency + w.authority + w.coverage + w.engagement + w.relevance > 0,
      'at least one weight must be above 0',
    )
    .default({ recency: 0.2, authority: 0.25, coverage: 0.2, engagement: 0.2, relevance: 0.15 }),
  /** Top stories: at most this many from one entity family (a model and its variants). */
  topMaxPerFamily: z.number().int().min(1).default(1),
  /** Top stories: at most this many whose main source is the same. */
  topMaxPerSource: z.number().int().min(1).default(2),
  /** Top stories: at most this many papers while other stories are left. */
  topMaxPapers: z.number().int().min(0).default(2),
  /** Each section: at most this many stories of one entity family. */
  sectionMaxPerFamily: z.number().int().min(1).default(2),
});

/** Price of one million tokens, in any currency you like (the report and the logs use the number as is). */
const pricesSchema = z.strictObject({
  inputPer1M: z.number().min(0).default(0),
  outputPer1M: z.number().min(0).default(0),
});

/** A setting that no longer exists: any value is refused with `message`. */
const removedSetting = (message: string) =>
  z
    .unknown()
    .refine((value) => value === undefined, message)
    .optional();

/** `llm.demo`: the model-written Python demo and the sandbox limits it runs under (docs/decisions/0101). */
const demoSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Attempts in all (the first included); each failure goes back to the model with its error. */
  attempts: z.number().int().min(1).max(5).default(3),
  /** Wall-clock limit of one run, milliseconds. */
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  /** CPU seconds of one run. */
  cpuSeconds: z.number().int().min(1).max(120).default(5),
  /** Address-space limit of one run, MiB. */
  memoryMb: z.number().int().min(32).max(8_192).default(512),
  /**
   * Modules a demo may import beyond the code policy's list (top-level names, e.g. "numpy"); they
   * must be installed under /usr (the only folder the sandbox holds).
   */
  allowedModules: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a top-level module name')).default([]),
  /** The interpreter inside the sandbox: a path under /usr (default Debian's python3). */
  python: z
    .string()
    .regex(/^\/usr\/(?!.*\/\.\.?(?:\/|$))\S+$/, 'must be an absolute path under /usr (the sandbox holds /usr only)')
    .default('/usr/bin/python3'),
  /** bubblewrap, the sandbox (a name on PATH or a path); without it no demo runs. */
  bwrap: z.string().min(1).default('bwrap'),
  /** Settings of the old sandbox, named so that a config holding them learns why they are refused. */
  unshare: removedSetting('removed: the demo sandbox is bubblewrap now (llm.demo.bwrap)'),
  prlimit: removedSetting('removed: the demo sandbox sets its limits itself (llm.demo.bwrap)'),
});

/**
 * The LLM analyzer's provider. `openai`: any OpenAI-compatible chat-completions endpoint (OpenAI,
 * DeepSeek, Qwen/DashScope, Moonshot, GLM, Gemini's compatible endpoint, Ollama, vLLM, llama.cpp);
 * `anthropic`: any Anthropic-compatible messages endpoint (Anthropic, MiniMax). Absent → no LLM.
 */
export const llmSchema = z.strictObject({
  provider: z.enum(['openai', 'anthropic']),
  /** API base, e.g. https://api.deepseek.com/v1 (Anthropic: ending in /v1). */
  baseURL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  model: z.string().min(1),
  /** Usually `${SOME_API_KEY}`; may be absent for a local server (Ollama, vLLM). Never logged. */
  apiKey: z.string().min(1).optional(),
  /** Stream the answer (server-sent events) instead of one JSON response. */
  stream: z.boolean().default(false),
  /** Per-call limit, the whole answer included. */
  timeoutMs: z.number().int().positive().default(120_000),
  /** Retries after a timeout, 429 or 5xx (Retry-After honoured), with doubling backoff. */
  retries: z.number().int().min(0).max(5).default(2),
  retryBaseMs: z.number().int().min(0).default(1_000),
  /** A Retry-After longer than this fails the call (that part falls back to extractive). */
  retryAfterCapMs: z.number().int().min(0).default(60_000),
  /** The whole analysis, every call included: at this deadline the parts not yet written stay extractive. */
  runDeadlineSeconds: z.number().int().min(1).max(86_400).default(900),
  /** Calls in flight at once. */
  concurrency: z.number().int().min(1).max(16).default(4),
  temperature: z.number().min(0).max(2).default(0.2),
  /** Per-run budget: input tokens over all calls (estimated before each call). */
  maxInputTokens: z.number().int().positive().default(200_000),
  /** Per-run budget: output tokens over all calls. */
  maxOutputTokens: z.number().int().positive().default(60_000),
  /** Per-run budget in the unit of `prices`; absent → no cost limit. */
  maxCost: z.number().min(0).optional(),
  /** Input text per story in the prompt, in (estimated) tokens. */
  storyInputTokens: z.number().int().min(200).max(8_000).default(1_500),
  /** Stories analysed by the model at most (in rank order); the rest stay extractive. */
  maxStories: z.number().int().min(0).max(500).default(40),
  prices: pricesSchema.default({ inputPer1M: 0, outputPer1M: 0 }),
  /** A part whose model sentences are dropped by the verifier at more than this share falls back to extractive. */
  maxDroppedShare: z.number().min(0).max(1).default(0.5),
  /** The demo: a short Python file for one top story, run without network before it is published. */
  demo: demoSchema.default(demoSchema.parse({})),
});

/** A git remote name or a branch name: nothing git could read as an option, a revision range or a refspec. */
const gitName = (what: string) =>
  z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9_][A-Za-z0-9._/-]*$/, `must be a ${what} name (letters, digits, . _ / -; not starting with -)`)
    .refine((name) => !name.includes('..') && !name.endsWith('/') && !name.endsWith('.lock'), {
      message: `must be a valid ${what} name`,
    });

/** The placeholders a commit message may use. */
export const GIT_MESSAGE_PLACEHOLDERS = ['date', 'language', 'report'] as const;

/**
 * `publish.git`: the output folder is a git work tree; each run commits exactly its own files and
 * pushes them (src/publish/git.ts). Absent → the files are only written.
 */
export const gitPublishSchema = z.strictObject({
  remote: gitName('remote').default('origin'),
  branch: gitName('branch').default('main'),
  /** Author and committer of the run's commits; absent → git's own user.name / user.email. */
  authorName: z
    .string()
    .min(1)
    .regex(/^[^<>\n]+$/, 'must not contain < > or a line break')
    .optional(),
  authorEmail: z
    .string()
    .min(1)
    .regex(/^[^<>\s]+$/, 'must not contain < > or spaces')
    .optional(),
  /** `{date}`, `{language}` and `{report}` (the report's id, with `reports:`) are replaced. */
  message: z
    .string()
    .min(1)
    .refine((message) => !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(message), {
      message: 'must not contain control characters',
    })
    .refine(
      (message) =>
        [...message.matchAll(/\{([^{}]*)\}/g)].every((m) =>
          (GIT_MESSAGE_PLACEHOLDERS as readonly string[]).includes(m[1] ?? ''),
        ),
      { message: `may use only the placeholders ${GIT_MESSAGE_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}` },
    )
    .default('ai-daily: {date} ({language})'),
});

export const publishSchema = z.strictObject({
  git: gitPublishSchema.optional(),
  /**
   * Chat and mail channels that get a short message about each report (Feishu, DingTalk, WeCom,
   * Slack, Discord, Telegram, email). Each entry is checked by its kind's own schema
   * (src/publish/channels/registry.ts#validateChannels), like a source's params.
   */
  channels: z.array(z.unknown()).default([]),
});

/**
 * Why a cron expression cannot be used, naming the field ("minute", "hour", ...), or undefined when
 * it can: five fields (minute hour day-of-month month day-of-week) or a nickname (`@daily`), as
 * croner reads them.
 */
const CRON_FIELDS = [
  { croner: 'minute', name: 'minute', range: '0-59' },
  { croner: 'hour', name: 'hour', range: '0-23' },
  { croner: 'day', name: 'day-of-month', range: '1-31' },
  { croner: 'month', name: 'month', range: '1-12 or JAN-DEC' },
  { croner: 'dayOfWeek', name: 'day-of-week', range: '0-7 or SUN-SAT' },
] as const;

export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (!(fields.length === 5 || (fields.length === 1 && fields[0]?.startsWith('@')))) {
    return `expected five fields "minute hour day-of-month month day-of-week" (or @daily, @hourly, ...), got "${expression}"`;
  }
  try {
    new Cron(expression, { paused: true, mode: '5-part' }).stop();
    return undefined;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).replace(/^CronPattern:\s*/, '');
    const field = CRON_FIELDS.find((f) => new RegExp(`for ${f.croner}\\b`).test(message));
    if (field && fields.length === 5) {
      return `${field.name} field "${fields[CRON_FIELDS.indexOf(field)]}" is not valid (${field.name} is ${field.range})`;
    }
    return message;
  }
}

/** `schedule`: when `ai-daily schedule` runs the pipeline (src/app/schedule.ts). */
export const scheduleSchema = z.strictObject({
  /** Five-field cron expression, read in `timezone`. */
  cron: z.string().superRefine((expression, context) => {
    const problem = cronProblem(expression);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  }),
  /** IANA time zone of the cron expression; absent → the config's `timezone`. */
  timezone: timeZone.optional(),
  catchUp: z
    .strictObject({
      /** Missed runs of the last this many days are made on start (0: none). */
      days: z.number().int().min(0).max(14).default(3),
    })
    .default({ days: 3 }),
  /** Report languages each run writes, in order; absent → [the config's `language`]. */
  languages: z
    .array(z.enum(['zh', 'en']))
    .min(1)
    .refine((list) => new Set(list).size === list.length, 'must not name a language twice')
    .optional(),
});

/** Folders of the output folder's root that the default report writes: no other report may take them. */
export const RESERVED_OUTPUT_FOLDERS = ['reports', 'demo_code', 'data'] as const;

/**
 * One entry of `reports:`: a report of its own (topics, language, sources, channels, title and
 * output folder) made from the one collection of the config's sources (src/config/reports.ts).
 */
export const reportDefinitionSchema = z.strictObject({
  id: z.string().regex(idPattern, 'must be kebab-case: lower-case letters, digits and "-"'),
  /** Preset whose topic terms this report uses; absent → the config's `preset`. */
  preset: z.string().optional(),
  /** Topic terms of this report, in place of the config's `topics` (added to its preset's). */
  topics: z.array(z.string().min(1)).optional(),
  /** Report language; absent → the config's `language`. */
  language: z.enum(['zh', 'en']).optional(),
  /** Ids of the config's sources that this report reads; absent → every enabled source. */
  sources: z
    .array(z.string().min(1))
    .min(1, 'must name at least one source (or leave sources out: all of them)')
    .optional(),
  /** Delivery channels of this report, in place of `publish.channels`. */
  channels: z.array(z.unknown()).optional(),
  title: reportTitle.optional(),
  /** Folder of this report under `output.dir`; absent → the id (`default`: `output.dir` itself). */
  output: z
    .string()
    .refine(
      (folder) =>
        /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/.test(folder) &&
        !folder.split('/').some((part) => part === '.' || part === '..'),
      'must be a relative folder of letters, digits, ".", "_" and "-" (for example daily-en), inside output.dir',
    )
    .refine(
      (folder) => !(RESERVED_OUTPUT_FOLDERS as readonly string[]).includes(folder.split('/')[0] ?? ''),
      `must not be one of the default report's folders (${RESERVED_OUTPUT_FOLDERS.join(', ')})`,
    )
    .optional(),
});

/** Collection workers (`ai-daily worker`, `run --distributed`) and when a source is next due. */
export const workersSchema = z.strictObject({
  /** A source that answered is due again this many minutes later (`next_check_at`). */
  checkIntervalMinutes: z.number().int().min(1).default(60),
  /** After failures in a row the wait doubles each time (interval × 2^failures), up to this many minutes. */
  maxCheckIntervalMinutes: z
    .number()
    .int()
    .min(1)
    .default(24 * 60),
  /** Sources one worker collects at a time (`--concurrency` overrides). */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Further tries of a source's job after a failure, before it is dead-lettered. */
  retryLimit: z.number().int().min(0).max(10).default(2),
  /** Seconds before the first retry; pg-boss doubles it on each retry, with jitter. */
  retryDelaySeconds: z.number().int().min(0).max(3600).default(30),
  /**
   * A job still active this many seconds after a worker took it is given back to the queue (its
   * worker died): more than http.sourceBudgetMs, so that a live job is never given back.
   */
  jobTimeoutSeconds: z.number().int().min(2).max(3600).optional(),
  /** How often an idle worker asks the queue for jobs (seconds, at least 0.5). */
  pollSeconds: z.number().min(0.5).max(60).default(2),
});

/** `serve`: the web app (`ai-daily serve`, src/app/serve.ts). */
export const serveSchema = z.strictObject({
  /** Address to listen on; anything but loopback needs `token`. */
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(8080),
  /**
   * Required on a non-loopback host, and then asked of every request (`Authorization: Bearer`, or
   * the cookie `/login?token=` sets). Write it as `${AI_DAILY_SERVE_TOKEN}`: it is redacted everywhere.
   */
  token: z.string().min(16, 'serve.token must be at least 16 characters (a long random value)').optional(),
});

export const configSchema = z.strictObject({
  /** Built-in preset whose sources are included ("ai" or "none"). */
  preset: z.string().default('ai'),
  /** IANA time zone of the report date. */
  timezone: timeZone.default('Asia/Shanghai'),
  /** Report language. */
  language: z.enum(['zh', 'en']).default('zh'),
  window: z
    .strictObject({
      hours: z
        .number()
        .int()
        .min(1)
        .max(24 * 14)
        .default(48),
    })
    .default({ hours: 48 }),
  store: storeSchema.default({ driver: 'sqlite', path: './data/ai-daily.db' }),
  output: z
    .strictObject({
      dir: filePath('a folder, for example ./out').default('./out'),
      /**
       * Public address of the output folder (`https://example.org/daily/`): the feeds link reports
       * with it; absent → feed links are relative paths and the feeds say so.
       */
      siteUrl: z.url({ protocol: /^https?$/, error: 'output.siteUrl must be an http(s) URL' }).optional(),
    })
    .default({ dir: './out' }),
  /** Publishers that run after the files are written (`publish.git`). */
  publish: publishSchema.default(publishSchema.parse({})),
  http: httpSchema.default(httpSchema.parse({})),
  workers: workersSchema.default(workersSchema.parse({})),
  report: reportSchema.default(reportSchema.parse({})),
  ranking: rankingSchema.default(rankingSchema.parse({})),
  /** The LLM analyzer (`run --mode llm|auto`); absent → extractive only. */
  llm: llmSchema.optional(),
  /** When `ai-daily schedule` runs; absent → `schedule` refuses to start, other commands ignore it. */
  schedule: scheduleSchema.optional(),
  /** The web app (`ai-daily serve`). */
  serve: serveSchema.default(serveSchema.parse({})),
  /** Article text for thin stories (src/app/enrich.ts). */
  enrich: enrichSchema.default(enrichSchema.parse({})),
  /**
   * Topic terms for relevance and the topic filter, added to the preset's. With a preset that has
   * none (`none`), these replace the built-in AI vocabulary; left empty, the AI vocabulary applies.
   */
  topics: z.array(z.string().min(1)).default([]),
  /** Sources added to the preset's, or overriding a preset source with the same id. */
  sources: z.array(z.unknown()).default([]),
  /** Ids of preset sources to leave out. */
  disable: z.array(z.string()).default([]),
  /** OPML files whose feeds are added as `feed` sources (paths relative to the config file). */
  opml: z.array(z.string()).default([]),
  /**
   * Several reports from one collection: each entry is a report of its own (src/config/reports.ts).
   * Absent → one report, `default`, made of every setting above.
   */
  reports: z.array(reportDefinitionSchema).min(1, 'must hold at least one report (or leave reports out)').optional(),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
/** The checked `llm` config section. */
export type LlmConfig = z.output<typeof llmSchema>;
