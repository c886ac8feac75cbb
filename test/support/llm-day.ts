/**
 * An LLM-mode run of a recorded day, as the e2e tests of LLM mode make it: a scripted model on
 * 127.0.0.1 (the real OpenAI or Anthropic wire format, test/support/mock-llm-server.ts) allowed
 * through the network policy, a config written into a temp folder (reused with `dir`, so that a
 * second run finds the first one's cache), `runCommand` with `--replay` and `--mode llm`, and the
 * report read back. Temp folders are removed by `removeLlmDays()`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCommand } from '../../src/cli/commands/run.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { dayFile } from './fixtures.js';
import { type MockReply, type MockRequest, startMockLlmServer } from './mock-llm-server.js';

/** The recorded day the LLM tests replay. */
export const LLM_DAY = '2026-08-22';

export type Script = (request: MockRequest, index: number) => MockReply;

export interface LlmDayOptions {
  wire?: 'openai' | 'anthropic';
  stream?: boolean;
  /** More lines under `llm:` (indented by two spaces already, e.g. "  retries: 0" or "  demo:"). */
  llmLines?: string[];
  /** A folder of an earlier run (its store and cache); default: a new temp folder. */
  dir?: string;
  lang?: 'zh' | 'en';
  /** The config's `language` (default: `lang`); a report in another language gets the `.<lang>` suffix. */
  configLanguage?: 'zh' | 'en';
  /** Another recorded day file (default: LLM_DAY's). */
  replay?: string;
  /** `llm.timeoutMs` (default 5000). */
  timeoutMs?: number;
}

const made: string[] = [];

/** A temp folder removed with the runs' folders by `removeLlmDays()`. */
export function llmTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeLlmDays(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function runLlmDay(script: Script, options: LlmDayOptions = {}) {
  const server = await startMockLlmServer(script);
  const dir = options.dir ?? llmTempDir('ai-daily-llm-');
  const lang = options.lang ?? 'zh';
  const configLanguage = options.configLanguage ?? lang;
  const config = path.join(dir, 'ai-daily.config.yaml');
  writeFileSync(
    config,
    [
      'http:',
      '  allowHosts: ["127.0.0.1"]',
      `language: ${configLanguage}`,
      'store:',
      '  path: ./data/store.db',
      'llm:',
      `  provider: ${options.wire ?? 'openai'}`,
      `  baseURL: ${server.baseURL}`,
      '  model: mock-model',
      '  apiKey: ${MOCK_LLM_KEY:-sk-mock-secret-123456}',
      `  stream: ${options.stream ? 'true' : 'false'}`,
      '  retryBaseMs: 1',
      `  timeoutMs: ${options.timeoutMs ?? 5000}`,
      '  prices: { inputPer1M: 1, outputPer1M: 2 }',
      ...(options.llmLines ?? []),
      '',
    ].join('\n'),
  );
  const out = path.join(dir, 'out');
  try {
    const summary = await runCommand({
      cwd: dir,
      config,
      log: silentLogger,
      replay: options.replay ?? dayFile(LLM_DAY),
      out,
      mode: 'llm',
      lang,
    });
    const suffix = configLanguage === lang ? '' : `.${lang}`;
    const base = path.join(out, 'reports', '2026', '08', `${LLM_DAY}${suffix}`);
    const jsonText = readFileSync(`${base}.json`, 'utf8');
    return {
      summary,
      dir,
      out,
      markdown: readFileSync(`${base}.md`, 'utf8'),
      jsonText,
      json: JSON.parse(jsonText) as Report,
      requests: [...server.requests],
    };
  } finally {
    await server.close();
  }
}
