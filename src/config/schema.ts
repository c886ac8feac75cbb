import { z } from 'zod';
import { isTimeZone } from '../core/time.js';
import { SECTIONS, SOURCE_KINDS } from '../core/types.js';

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
  timezone: z.string().optional(),
  /** Keep only items that mention a topic term; on by default for sources you add. */
  filterTopics: z.boolean().default(true),
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
  perHostConcurrency: z.number().int().min(1).max(16).default(2),
  concurrency: z.number().int().min(1).max(64).default(8),
  userAgent: z.string().min(1).optional(),
});

const sectionCaps = z.strictObject(Object.fromEntries(SECTIONS.map((s) => [s, z.number().int().min(0).optional()])));

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
  title: z.string().optional(),
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

export const configSchema = z.strictObject({
  /** Built-in preset whose sources are included ("ai" or "none"). */
  preset: z.string().default('ai'),
  /** IANA time zone of the report date. */
  timezone: z
    .string()
    .default('Asia/Shanghai')
    .refine((tz) => isTimeZone(tz), 'unknown IANA time zone'),
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
  store: z
    .strictObject({
      /** SQLite file. */
      path: z.string().default('./data/ai-daily.db'),
    })
    .default({ path: './data/ai-daily.db' }),
  output: z.strictObject({ dir: z.string().default('./out') }).default({ dir: './out' }),
  http: httpSchema.default(httpSchema.parse({})),
  report: reportSchema.default(reportSchema.parse({})),
  ranking: rankingSchema.default(rankingSchema.parse({})),
  /** Extra topic terms for relevance, added to the preset's. */
  topics: z.array(z.string().min(1)).default([]),
  /** Sources added to the preset's, or overriding a preset source with the same id. */
  sources: z.array(z.unknown()).default([]),
  /** Ids of preset sources to leave out. */
  disable: z.array(z.string()).default([]),
  /** OPML files whose feeds are added as `feed` sources (paths relative to the config file). */
  opml: z.array(z.string()).default([]),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
