/** The shapes shared by the fetcher, its transports (live, replay, record) and the connectors. */

/** What a transport is asked for: one hop, no redirects followed, no decompression. */
export interface TransportRequest {
  url: string;
  method: 'GET';
  headers: Record<string, string>;
  signal: AbortSignal;
}

/** One hop's answer. `body` yields the bytes as they arrive on the wire (possibly compressed). */
export interface TransportResponse {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
}

/** Sends one request; throws FetchError (dns, connection, tls, timeout, unavailable) on failure. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export interface FetchOptions {
  /** Value for the Accept header. */
  accept?: string;
  /** Extra request headers (an API token, say). Never logged. */
  headers?: Record<string, string>;
  /** Send If-None-Match / If-Modified-Since from the validators stored for this URL. */
  conditional?: boolean;
  /** Cancels the fetch (a source's or the run's budget): it then fails with FetchError 'budget'. */
  signal?: AbortSignal;
}

/** A fetched and decoded document. */
export interface FetchedDocument {
  /** The URL asked for. */
  requestUrl: string;
  /** The URL after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  /** True on 304: `text` is empty and nothing is new. */
  notModified: boolean;
  /**
   * How many bytes the body had after content-encoding. The bytes themselves are not kept once
   * decoded into `text`: a large document is not held twice while a connector parses it.
   */
  byteLength: number;
  /** Text decoded with `charset`. */
  text: string;
  /** The charset used, lower-case ("utf-8", "gbk", ...), and how it was chosen. */
  charset: string;
  charsetSource: 'bom' | 'utf-8-valid' | 'header' | 'declaration' | 'sniffed' | 'fallback';
  /** Wall time of the fetch, retries included, in ms. */
  elapsedMs: number;
}

/** The fetch function handed to connectors: one polite client for every source. */
export type FetchDocument = (url: string, options?: FetchOptions) => Promise<FetchedDocument>;
