/**
 * The verifier's labelled set (test/fixtures/verify/labelled.json): sentences a model could write
 * about real source excerpts, each labelled faithful or fabricated. Excerpts are located in the real
 * captures at test time (they are not copied into the project): a capture's text is its JSON string
 * values, or its XML without tags and entities, and an excerpt runs from its `from` words to the
 * end of its `to` words.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeHTML } from 'entities';
import { verifySentences } from '../../src/analyze/verify/index.js';
import type { DroppedSentence, ExcerptText } from '../../src/analyze/verify/types.js';
import { realText, repoRoot } from './fixtures.js';

export interface LabelledSentence {
  language: 'zh' | 'en';
  text: string;
  cites: number[];
  fabricated: boolean;
  change?: string;
  note?: string;
}

export interface LabelledGroup {
  id: string;
  /**
   * `item` names the article an excerpt comes from when two excerpts share one (a title and its
   * text); `source` is the source name the analyzer's excerpt carries on a line of its own.
   */
  excerpts: { n: number; file: string; from: string; to: string; item?: string; source?: string }[];
  sentences: LabelledSentence[];
}

export const labelledSetFile = path.join(repoRoot, 'test/fixtures/verify/labelled.json');

function stringValues(value: unknown, into: string[]): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const element of value) stringValues(element, into);
  else if (value !== null && typeof value === 'object')
    for (const element of Object.values(value)) stringValues(element, into);
}

const captureTexts = new Map<string, string>();

/** A capture as plain text (see the module comment). */
export function captureText(file: string): string {
  const cached = captureTexts.get(file);
  if (cached !== undefined) return cached;
  const raw = realText(file);
  let text: string;
  if (file.endsWith('.json') || file.endsWith('.jsonl')) {
    const values: string[] = [];
    const documents = file.endsWith('.jsonl') ? raw.split('\n').filter((line) => line.trim() !== '') : [raw];
    for (const document of documents) stringValues(JSON.parse(document), values);
    text = values.join('\n');
  } else {
    text = decodeHTML(raw.replace(/<!\[CDATA\[|\]\]>/g, '').replace(/<[^>]*>/g, ' '));
  }
  captureTexts.set(file, text);
  return text;
}

/** The excerpt text from `from` to the end of `to`; throws naming the group when a span is not there. */
export function excerptText(groupId: string, excerpt: LabelledGroup['excerpts'][number]): string {
  const text = captureText(excerpt.file);
  const start = text.indexOf(excerpt.from);
  if (start < 0) throw new Error(`${groupId}: "${excerpt.from}" is not in ${excerpt.file}`);
  const toStart = text.indexOf(excerpt.to, start);
  if (toStart < 0) throw new Error(`${groupId}: "${excerpt.to}" does not follow "${excerpt.from}" in ${excerpt.file}`);
  return text.slice(start, toStart + excerpt.to.length);
}

export function loadLabelledSet(): LabelledGroup[] {
  const parsed = JSON.parse(readFileSync(labelledSetFile, 'utf8')) as { groups: LabelledGroup[] };
  return parsed.groups;
}

export interface LabelledOutcome {
  group: string;
  sentence: LabelledSentence;
  dropped: DroppedSentence | undefined;
}

export interface LabelledMeasure {
  outcomes: LabelledOutcome[];
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** Of the sentences dropped, the share that were fabricated. */
  precision: number;
  /** Of the fabricated sentences, the share that were dropped. */
  recall: number;
}

/** Runs the verifier on every sentence of the set, each on its own against its group's excerpts. */
export function measureLabelledSet(groups: readonly LabelledGroup[] = loadLabelledSet()): LabelledMeasure {
  const outcomes: LabelledOutcome[] = [];
  for (const group of groups) {
    const excerpts = new Map<number, ExcerptText>(
      group.excerpts.map((excerpt) => [
        excerpt.n,
        {
          text:
            excerpt.source === undefined
              ? excerptText(group.id, excerpt)
              : `${excerptText(group.id, excerpt)}\n(${excerpt.source})`,
          itemId: `${group.id}#${excerpt.item ?? excerpt.n}`,
        },
      ]),
    );
    for (const sentence of group.sentences) {
      const result = verifySentences([{ text: sentence.text, cites: sentence.cites }], excerpts, sentence.language);
      outcomes.push({ group: group.id, sentence, dropped: result.dropped[0] });
    }
  }
  const count = (fabricated: boolean, dropped: boolean): number =>
    outcomes.filter(
      (outcome) => outcome.sentence.fabricated === fabricated && (outcome.dropped !== undefined) === dropped,
    ).length;
  const truePositives = count(true, true);
  const falsePositives = count(false, true);
  const falseNegatives = count(true, false);
  const trueNegatives = count(false, false);
  return {
    outcomes,
    truePositives,
    falsePositives,
    falseNegatives,
    trueNegatives,
    precision: truePositives / Math.max(1, truePositives + falsePositives),
    recall: truePositives / Math.max(1, truePositives + falseNegatives),
  };
}
