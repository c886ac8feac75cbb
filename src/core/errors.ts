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
