/**
 * The model's answers of a recorded day: `llm-answers.json` beside `day.json`. `--record` writes
 * the answers of the run's calls there; `--replay` reads them back, so a recorded day replays
 * offline with its LLM text (an answer not recorded is asked of the configured endpoint).
 * The file holds answers and token counts only: no prompt, key or endpoint.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RecordedAnswer } from '../analyze/llm/caller.js';

export const LLM_ANSWERS_FILE = 'llm-answers.json';

const answersSchema = z.strictObject({
  note: z.string().optional(),
  answers: z.array(
    z.strictObject({
      key: z.string().regex(/^[0-9a-f]{64}$/),
      part: z.string(),
      model: z.string(),
      answer: z.string(),
      inputTokens: z.number().int().min(0),
      outputTokens: z.number().int().min(0),
    }),
  ),
});

/** The recorded answers beside a day file, by cache key; an empty map when there are none. */
export function loadLlmAnswers(dayFile: string): Map<string, RecordedAnswer> {
  const file = path.join(path.dirname(dayFile), LLM_ANSWERS_FILE);
  if (!existsSync(file)) return new Map();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${LLM_ANSWERS_FILE}: ${(error as Error).message}`);
  }
  const parsed = answersSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${LLM_ANSWERS_FILE}: ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`);
  }
  return new Map(parsed.data.answers.map((answer) => [answer.key, answer]));
}

/** Writes the answers into a recording folder (through a temporary name). */
export function saveLlmAnswers(dir: string, answers: readonly RecordedAnswer[]): void {
  const file = path.join(dir, LLM_ANSWERS_FILE);
  const unique = [...new Map(answers.map((answer) => [answer.key, answer])).values()];
  const body = { note: 'Model answers recorded by ai-daily --record.', answers: unique };
  writeFileSync(`${file}.tmp`, `${JSON.stringify(body, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
