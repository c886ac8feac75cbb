/**
 * Error classes with a machine-readable kind. Only src/cli/main.ts turns them into exit codes.
 */

/** Every way a source can fail, so that the fetch log and the report can say why. */
export const FETCH_ERROR_KINDS = [
  'dns',
  'connection',
  'timeout',
  'tls',
  'bad-url',
  'redirect',
  'http-status',
  'rate-limited',
  'too-large',
  'decode',
  'empty',
  'not-a-feed',
  'parse',
  'budget',
  /** `run --distributed`: no worker finished the source's job before the run's deadline. */
  'deadline',
  'unavailable',
  /** Refused by the network policy: a loopback, private, link-local or other non-public address. */
  'blocked',
] as const;
export type FetchErrorKind = (typeof FETCH_ERROR_KINDS)[number];

export class FetchError extends Error {
  override readonly name = 'FetchError';
  readonly kind: FetchErrorKind;
  readonly url: string;
  readonly status?: number;
  /** Worth another try in this run (network blips, 5xx). */
  readonly isRetryable: boolean;

  constructor(
    kind: FetchErrorKind,
    message: string,
    options: { url: string; status?: number; isRetryable?: boolean; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.url = options.url;
    this.status = options.status;
    this.isRetryable = options.isRetryable ?? false;
  }
}

/** A usage or configuration problem: exit code 2. `problems` are `path: message` lines. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: string[];
  constructor(message: string, problems: string[] = []) {
    super(problems.length > 0 ? `${message}\n${problems.map((p) => `  ${p}`).join('\n')}` : message);
    this.problems = problems;
  }
}

/** Nothing trustworthy to report, or the quality gate refused the output: exit code 3. */
export class NothingToReportError extends Error {
  override readonly name = 'NothingToReportError';
  readonly reasons: string[];
  constructor(message: string, reasons: string[] = []) {
    super(reasons.length > 0 ? `${message}\n${reasons.map((r) => `  - ${r}`).join('\n')}` : message);
    this.reasons = reasons;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What went wrong with the store, as a person would fix it. */
export const STORE_PROBLEMS = [
  'full',
  'read-only',
  'locked',
  'corrupt',
  /** The file is not ai-daily's store: not SQLite at all, or another program's SQLite database. */
  'not-a-store',
  /** Written by a newer version of ai-daily (a migration this version does not know). */
  'newer',
  'cannot-open',
  'io',
  'other',
] as const;
export type StoreProblem = (typeof STORE_PROBLEMS)[number];

/**
 * The store (the SQLite file) failed: never a source's fault, so never a fetch error. The message
 * names the file, the real cause and what to do.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly kind = 'store';
  readonly problem: StoreProblem;
  readonly file: string;
  constructor(problem: StoreProblem, file: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.problem = problem;
    this.file = file;
  }
}

/** Writing the report files failed; nothing new was published. The message names the file and the cause. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  /** `publish`: the files could not be written; `commit` / `push`: a publisher (git) failed at that step. */
  readonly kind: 'publish' | 'commit' | 'push';
  readonly file: string;
  constructor(file: string, message: string, options: { cause?: unknown; kind?: 'publish' | 'commit' | 'push' } = {}) {
    super(message, { cause: options.cause });
    this.file = file;
    this.kind = options.kind ?? 'publish';
  }
}

/** The output folder or another path a run needs cannot be used (checked before anything is fetched). */
export class OutputError extends Error {
  override readonly name = 'OutputError';
  readonly kind = 'output';
  readonly path: string;
  constructor(file: string, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.path = file;
  }
}

/** Another run of the same day, language and output folder holds the run lock: exit code 4. */
export class RunLockedError extends Error {
  override readonly name = 'RunLockedError';
  readonly kind = 'locked';
}

/** A short human reason for a file-system error code (`ENOSPC` → "no space left on the device"). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    case 'EDQUOT':
      return 'disk quota exceeded (EDQUOT)';
    case 'EROFS':
      return 'the file system is read-only (EROFS)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ENOTDIR':
      return `a part of the path is a file, not a folder (ENOTDIR)`;
    case 'EISDIR':
      return 'it is a folder, not a file (EISDIR)';
    case 'EEXIST':
      return 'a file of that name is in the way (EEXIST)';
    case 'ENOENT':
      return 'a folder on the path does not exist (ENOENT)';
    case 'EIO':
      return 'input/output error (EIO)';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Some of the reports of a run (`reports:` in the config) failed; the others were written.
 * `written` holds the summaries of those, `failures` each failed report's id and error, in order;
 * the exit code is the first failure's.
 */
export class ReportsFailedError<Summary = unknown> extends Error {
  override readonly name = 'ReportsFailedError';
  constructor(
    readonly written: Summary[],
    readonly failures: { report: string; error: unknown }[],
  ) {
    super(
      `${failures.length} of ${written.length + failures.length} reports failed:\n${failures
        .map(({ report, error }) => `  - ${report}: ${errorMessage(error).split('\n').join('\n    ')}`)
        .join('\n')}`,
    );
  }
}
