import type { z } from 'zod';
import type { RawItem, SourceConfig, SourceKind } from '../core/types.js';
import type { FetchDocument } from '../http/types.js';

export interface ConnectorContext<Params> {
  source: SourceConfig;
  /** The source's params, already validated by the connector's schema. */
  params: Params;
  /** The one fetcher. Throws FetchError on failure. */
  fetch: FetchDocument;
  /** The run's clock (the recorded day's `now` in replay). */
  now: Date;
  /** Progress and warnings: written to stderr / the log, never into a report. */
  warn: (message: string) => void;
}

/**
 * One connector per source kind, one file each, registered in ./registry.ts.
 * `collect` fetches and returns plain data; `parse` is the pure half that tests run on recorded bodies.
 */
export interface Connector<Params = Record<string, unknown>> {
  kind: SourceKind;
  /** One line for `ai-daily sources list` and the docs. */
  description: string;
  /** Validates `source.params`; defaults filled in. */
  paramsSchema: z.ZodType<Params>;
  /** An example source of this kind (used by docs, `init` and the contract test). */
  example: { url: string; params: Params };
  collect(context: ConnectorContext<Params>): Promise<RawItem[]>;
}
