import type { RecordedAnswer } from '../analyze/llm/caller.js';
import type { FetchFunction } from '../analyze/llm/llm-fetch.js';
import type { Config } from '../config/load.js';
import type { Logger } from '../core/log.js';
import type { Transport } from '../http/types.js';
import type { ChannelContext } from '../publish/channels/channel.js';
import type { Store } from '../store/store.js';

/**
 * What a run needs from its caller (the CLI today; a scheduler, workers or a web UI later): the
 * checked config, an open store, a transport and the run's clock. The caller opens and closes it.
 */
export interface RunContext {
  config: Config;
  store: Store;
  transport: Transport;
  now: Date;
  /** Time zone of the recorded day when replaying, else the config's. */
  timezone: string;
  /** True when answering from a recorded day: wall times are then left out of outputs. */
  replayed: boolean;
  log: Logger;
  /** Folder that relative paths (the output folder) are resolved against. */
  cwd: string;
  /** LLM mode: recorded answers (--replay), where to save answers (--record), a fetch for tests. */
  llm?: RunLlmOptions;
  /** Delivery channels: a fetch, host check or retry wait for tests (default: the network policy's). */
  channelContext?: Partial<ChannelContext>;
}

export interface RunLlmOptions {
  replayAnswers?: ReadonlyMap<string, RecordedAnswer>;
  /** Saves the run's answers (--record). */
  recordAnswers?: (answers: readonly RecordedAnswer[]) => void;
  fetch?: FetchFunction;
  /** The network policy's check (http.allowHosts), before each LLM request. */
  checkUrl?: (url: string) => void;
}
