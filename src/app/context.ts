import path from 'node:path';
import type { RecordedAnswer } from '../analyze/llm/caller.js';
import type { FetchFunction } from '../analyze/llm/llm-fetch.js';
import { type Config, loadConfig } from '../config/load.js';
import { ConfigError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { localDate } from '../core/time.js';
import { createLiveTransport, createPolicedFetch } from '../http/live-transport.js';
import { createRecordingTransport, recordFolderProblem } from '../http/record.js';
import { createReplayTransport, loadRecordedDay, type RecordedDay } from '../http/replay.js';
import type { Transport } from '../http/types.js';
import type { ChannelContext } from '../publish/channels/channel.js';
import { validateChannels } from '../publish/channels/registry.js';
import { validateSourceParams } from '../sources/registry.js';
import { Store } from '../store/store.js';
import { loadLlmAnswers, saveLlmAnswers } from './llm-answers.js';

/**
 * What a run needs from its caller (the CLI, the scheduler): the checked config, an open store, a
 * transport and the run's clock. Every caller opens it with `openContext` below (one composition of
 * store, transports, network policy and LLM services) and closes it. The web app runs nothing: it
 * loads the same checked config (`loadCheckedConfig`) and opens the store read-only, with no
 * transport (src/app/serve.ts).
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

/** Options every front door (CLI command, scheduler, web app) passes when it opens a context. */
export interface GlobalOptions {
  /** --config FILE */
  config?: string;
  /** Working directory that relative paths are resolved against. */
  cwd?: string;
  env?: Record<string, string | undefined>;
  log: Logger;
}

export interface SourceOptions {
  /** --replay FILE: answer every request from a recorded day; its `now` becomes the clock. */
  replay?: string;
  /** --record DIR: save every response of a live run. */
  record?: string;
  /** Overrides the clock (tests). */
  now?: Date;
}

export interface OpenedContext extends RunContext {
  /** Closes the store and finishes a recording. */
  close(): Promise<void>;
}

/** Loads and checks the config (every problem at once, exit code 2). */
export function loadCheckedConfig(options: GlobalOptions): Config {
  const config = loadConfig({ file: options.config, cwd: options.cwd, env: options.env });
  const problems = [
    ...validateSourceParams(config.sources.filter((s) => s.enabled)),
    ...validateChannels(config.publish.channels),
  ];
  if (problems.length > 0) throw new ConfigError('invalid configuration', problems);
  return config;
}

/** A missing or malformed --replay file is a usage error (exit 2), like a bad config. */
function loadReplayDay(file: string): RecordedDay {
  try {
    return loadRecordedDay(file);
  } catch (error) {
    throw new ConfigError(`--replay: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function openContext(options: GlobalOptions & SourceOptions): Promise<OpenedContext> {
  const cwd = options.cwd ?? process.cwd();
  const config = loadCheckedConfig(options);
  if (options.replay && options.record) throw new ConfigError('--replay and --record cannot be used together');

  let transport: Transport;
  let now = options.now ?? new Date();
  let timezone = config.timezone;
  let finishRecording: (() => Promise<void>) | undefined;
  let llm: RunLlmOptions | undefined;
  if (options.replay) {
    const day = loadReplayDay(path.resolve(cwd, options.replay));
    try {
      llm = { replayAnswers: loadLlmAnswers(day.file) };
    } catch (error) {
      throw new ConfigError(`--replay: ${error instanceof Error ? error.message : String(error)}`);
    }
    transport = createReplayTransport(day, { maxBytes: config.http.maxBytes });
    now = options.now ?? new Date(day.now);
    timezone = day.timezone ?? config.timezone;
  } else {
    // The network policy: only public addresses, plus the hosts the user allowed on purpose.
    transport = createLiveTransport({ allowHosts: config.http.allowHosts });
    if (options.record) {
      // Checked now, not when the recording is written after the whole collect.
      const problem = recordFolderProblem(path.resolve(cwd, options.record));
      if (problem) throw new ConfigError(`--record ${options.record}: ${problem}`);
      // The recording carries the run's own clock and date, so that a replay reports the same day.
      const runNow = now;
      const recorder = createRecordingTransport(transport, path.resolve(cwd, options.record), {
        timezone: config.timezone,
        day: localDate(runNow, config.timezone),
        now: () => runNow,
      });
      transport = recorder.transport;
      const recordDir = path.resolve(cwd, options.record);
      let answers: readonly RecordedAnswer[] = [];
      llm = {
        recordAnswers: (given) => {
          answers = given;
        },
      };
      finishRecording = async () => {
        await recorder.finish();
        if (answers.length > 0) saveLlmAnswers(recordDir, answers);
      };
    }
  }
  if (config.llm) {
    // The model's endpoint is an outbound request like any other: the same network policy applies
    // (a local Ollama or vLLM is reached by listing it in http.allowHosts).
    llm = { ...llm, fetch: createPolicedFetch({ allowHosts: config.http.allowHosts }) };
  }
  const store = await Store.connect(config.store, { cwd });
  return {
    config,
    store,
    transport,
    now,
    timezone,
    replayed: Boolean(options.replay),
    log: options.log,
    cwd,
    ...(llm ? { llm } : {}),
    async close() {
      await finishRecording?.();
      await store.close();
    },
  };
}
