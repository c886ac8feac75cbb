import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, describeFsError } from '../core/errors.js';
import { registerSecrets, userinfoSecrets } from '../core/redact.js';
import type { SourceConfig } from '../core/types.js';
import { parseOpml } from './opml.js';
import { PRESETS, type Preset, topicsFor } from './presets.js';
import { type ReportDefinition, resolveReports } from './reports.js';
import { configSchema, type ParsedConfig, sourceOverrideSchema, sourceSchema } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'ai-daily.config.yaml';

export interface Config extends Omit<ParsedConfig, 'sources' | 'disable' | 'opml' | 'topics' | 'reports'> {
  /** Enabled and disabled sources, preset first, then the config's own, in order. */
  sources: SourceConfig[];
  /** Preset topics plus the config's own, lower-case. */
  topics: string[];
  /**
   * The reports this config makes (src/config/reports.ts): its `reports:` entries, defaults filled
   * in, or one report `default` of the top-level settings when it has none.
   */
  reports: ReportDefinition[];
  /** The config file read, or undefined when none exists and defaults are used. */
  file?: string;
  /**
   * Values that came from the environment (`${VAR}`) or from a URL's userinfo: never printed,
   * stored or published (they are registered with core/redact.ts as the config is read).
   */
  secrets: string[];
}

export interface LoadOptions {
  /** Explicit --config path; an error if it does not exist. */
  file?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Reads, interpolates and validates the config. Every problem is reported at once as a
 * `path: message` line inside one ConfigError (exit code 2), never only the first.
 */
export function loadConfig(options: LoadOptions = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const explicit = options.file !== undefined;
  const file = path.resolve(cwd, options.file ?? DEFAULT_CONFIG_FILE);
  let raw: unknown = {};
  if (existsSync(file)) {
    raw = parseYaml(readConfigFile(file, explicit ? options.file! : undefined), path.basename(file));
  } else if (explicit) {
    throw new ConfigError(`config file not found: ${options.file}`);
  }
  const config = resolveConfig(raw, { env, baseDir: path.dirname(file) });
  return { ...config, file: existsSync(file) ? file : undefined };
}

/** The config file's text; a folder or an unreadable file is a config error naming it (exit code 2). */
function readConfigFile(file: string, given: string | undefined): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const where = given === undefined ? file : `--config ${given}`;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') {
      throw new ConfigError(
        `${where} is a folder, not a config file: name a YAML file (for example ${path.join(file, DEFAULT_CONFIG_FILE)})`,
      );
    }
    throw new ConfigError(`cannot read the config file ${file}: ${describeFsError(error)}`);
  }
}

/** Validates an already-parsed config object (what the YAML holds). */
export function resolveConfig(
  raw: unknown,
  options: { env?: Record<string, string | undefined>; baseDir?: string } = {},
): Config {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  const secrets = new Set<string>();
  const interpolated = interpolate(raw ?? {}, env, [], problems, secrets);
  registerSecrets(secrets);
  const parsed = configSchema.safeParse(interpolated);
  if (!parsed.success) {
    problems.push(...zodProblems(parsed.error));
    // The sources are still checked, so that their problems are listed in the same error.
    const rawSources = (interpolated as { sources?: unknown }).sources;
    const rawPreset = (interpolated as { preset?: unknown }).preset;
    const preset = PRESETS[typeof rawPreset === 'string' ? rawPreset : 'ai'] ?? PRESETS.ai;
    if (preset && Array.isArray(rawSources)) resolveSources(preset, rawSources, env, problems, secrets);
    registerSecrets(secrets);
    throw new ConfigError('invalid configuration', problems);
  }
  const value = parsed.data;

  const preset = PRESETS[value.preset];
  if (!preset) {
    throw new ConfigError('invalid configuration', [
      `preset: unknown preset "${value.preset}" (known: ${Object.keys(PRESETS).join(', ')})`,
    ]);
  }
  const byId = resolveSources(preset, value.sources, env, problems, secrets);

  value.opml.forEach((opmlPath, index) => {
    const resolved = path.resolve(options.baseDir ?? process.cwd(), opmlPath);
    try {
      for (const feed of parseOpml(readFileSync(resolved, 'utf8'))) {
        if (!byId.has(feed.id)) byId.set(feed.id, feed);
      }
    } catch (error) {
      problems.push(`opml[${index}]: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  value.disable.forEach((id, index) => {
    const source = byId.get(id);
    if (!source) problems.push(`disable[${index}]: no source with id "${id}"`);
    else source.enabled = false;
  });

  const reports = resolveReports(
    {
      preset: value.preset,
      language: value.language,
      topics: value.topics,
      ...(value.report.title === undefined ? {} : { title: value.report.title }),
      channels: value.publish.channels,
      ...(value.schedule?.languages === undefined ? {} : { scheduleLanguages: value.schedule.languages }),
    },
    [...byId.values()],
    value.reports,
    problems,
  );

  for (const source of byId.values()) for (const part of userinfoSecrets(source.url)) secrets.add(part);
  // The store's URL: its password (and user) never reach a log line or an error.
  if (value.store.driver === 'postgres') for (const part of userinfoSecrets(value.store.url)) secrets.add(part);
  // Registered before any problem is reported, so that no error message shows them either.
  registerSecrets(secrets);
  if (problems.length > 0) throw new ConfigError('invalid configuration', problems);
  const { sources: _s, disable: _d, opml: _o, topics, reports: _r, ...rest } = value;
  return {
    ...rest,
    sources: [...byId.values()],
    topics: topicsFor(preset, topics),
    reports,
    secrets: [...secrets],
  };
}

/** The preset's sources with the config's added or overriding them by id; problems as `path: message`. */
function resolveSources(
  preset: Preset,
  entries: readonly unknown[],
  env: Record<string, string | undefined>,
  problems: string[],
  secrets: Set<string>,
): Map<string, SourceConfig> {
  const byId = new Map<string, SourceConfig>();
  for (const s of preset.sources) {
    const presetSource = interpolate(s, env, ['preset', s.id], problems, secrets) as typeof s;
    byId.set(s.id, { enabled: true, params: {}, filterTopics: false, ...presetSource });
  }
  const listedAt = new Map<string, number>();
  entries.forEach((entry, index) => {
    const where = `sources[${index}]`;
    const id = typeof entry === 'object' && entry !== null ? (entry as { id?: unknown }).id : undefined;
    if (typeof id === 'string') {
      const first = listedAt.get(id);
      if (first !== undefined) {
        problems.push(`${where}.id: duplicate source id "${id}" (already used by sources[${first}])`);
        return;
      }
      listedAt.set(id, index);
    }
    const existing = typeof id === 'string' ? byId.get(id) : undefined;
    if (existing) {
      const override = sourceOverrideSchema.safeParse(entry);
      if (!override.success) {
        problems.push(...zodProblems(override.error, where));
        return;
      }
      const defined = Object.fromEntries(
        Object.entries(override.data).filter(([key, v]) => v !== undefined && key in (entry as object)),
      );
      byId.set(existing.id, {
        ...existing,
        ...defined,
        params: { ...existing.params, ...(override.data.params ?? {}) },
      });
      return;
    }
    const full = sourceSchema.safeParse(entry);
    if (!full.success) {
      problems.push(...zodProblems(full.error, where));
      return;
    }
    byId.set(full.data.id, { ...full.data, name: full.data.name ?? full.data.id });
  });
  return byId;
}

function parseYaml(text: string, name: string): unknown {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(
      `cannot read ${name}`,
      document.errors.map((e) => {
        const at = e.pos ? lineCounter.linePos(e.pos[0]) : undefined;
        return `${name}${at ? `:${at.line}:${at.col}` : ''}: ${e.message.split('\n')[0]}`;
      }),
    );
  }
  if (document.contents !== null && !isMap(document.contents) && !isSeq(document.contents)) {
    if (document.contents === undefined) return {};
  }
  let value: unknown;
  try {
    // maxAliasCount (the yaml default, 100) stops an alias bomb from expanding.
    value = document.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    throw new ConfigError(`cannot read ${name}`, [
      `${name}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    ]);
  }
  if (value !== null && value !== undefined && (typeof value !== 'object' || Array.isArray(value))) {
    throw new ConfigError(`cannot read ${name}`, [`${name}: the top level must be a mapping of settings`]);
  }
  return value ?? {};
}

const envReference = /\$\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` (required) and `${NAME:-default}` in every string. Secrets live only in the
 * environment; a missing required variable is a `path: message` problem, not an empty string.
 */
function interpolate(
  value: unknown,
  env: Record<string, string | undefined>,
  at: (string | number)[],
  problems: string[],
  secrets: Set<string>,
): unknown {
  if (typeof value === 'string') {
    return value.replace(envReference, (_match, name: string, hasDefault: string | undefined, fallback?: string) => {
      const found = env[name];
      if (found !== undefined && found !== '') {
        secrets.add(found);
        if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(found)) {
          problems.push(`${formatPath(at)}: environment variable ${name} contains control characters (CR, LF, ...)`);
        }
        return found;
      }
      if (hasDefault !== undefined) return fallback ?? '';
      problems.push(`${formatPath(at)}: environment variable ${name} is not set`);
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, [...at, i], problems, secrets));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, interpolate(v, env, [...at, k], problems, secrets)] as const),
    );
  }
  return value;
}

export function formatPath(at: readonly PropertyKey[]): string {
  let out = '';
  for (const part of at) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out || '(top level)';
}

/** Zod issues as `path: message` lines, prefixed with `prefix` when given. */
export function zodProblems(error: z.ZodError, prefix?: string): string[] {
  return error.issues.map((issue) => {
    const at = formatPath(issue.path);
    const where = prefix ? (at === '(top level)' ? prefix : `${prefix}${at.startsWith('[') ? '' : '.'}${at}`) : at;
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown setting ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    return `${where}: ${message}`;
  });
}
