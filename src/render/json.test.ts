import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildInput } from '../../test/fixtures/report/build-input.js';
import { repoRoot } from '../../test/support/fixtures.js';
import { faithfulAnswer, type MockRequest } from '../../test/support/mock-llm-server.js';
import { buildReport } from '../analyze/extractive.js';
import { analyzeWithLlm } from '../analyze/llm/analyzer.js';
import type { CallRequest, LlmCaller } from '../analyze/llm/caller.js';
import { llmSchema } from '../config/schema.js';
import { renderJson, sortKeysDeep } from './json.js';

type Schema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  pattern?: string;
  $defs?: Record<string, Schema>;
};

/**
 * A small validator for the subset of JSON Schema that docs/report.schema.json uses
 * ($ref to $defs, type, const, enum, required, properties, additionalProperties: false, items,
 * minItems, maxItems, minimum, pattern). Returns "path: problem" lines.
 */
function validate(value: unknown, schema: Schema, root: Schema, at = '$'): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/$defs/', '');
    return validate(value, root.$defs![name]!, root, at);
  }
  const problems: string[] = [];
  const typeOf = (v: unknown) =>
    Array.isArray(v) ? 'array' : v === null ? 'null' : Number.isInteger(v) ? 'integer' : typeof v;
  if (schema.type) {
    const actual = typeOf(value);
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = allowed.some((type) =>
      type === 'number' ? actual === 'number' || actual === 'integer' : actual === type,
    );
    if (!ok) return [`${at}: expected ${schema.type}, got ${actual}`];
  }
  if ('const' in schema && value !== schema.const) problems.push(`${at}: expected ${String(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at}: ${String(value)} not in enum`);
  if (schema.pattern && typeof value === 'string' && !new RegExp(schema.pattern).test(value)) {
    problems.push(`${at}: ${value} does not match ${schema.pattern}`);
  }
  if (schema.minimum !== undefined && typeof value === 'number' && value < schema.minimum)
    problems.push(`${at}: below minimum`);
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      problems.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      problems.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) {
      for (const [index, entry] of value.entries())
        problems.push(...validate(entry, schema.items, root, `${at}[${index}]`));
    }
  } else if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${at}: missing ${key}`);
    for (const [key, entry] of Object.entries(record)) {
      const property = schema.properties?.[key];
      if (property) problems.push(...validate(entry, property, root, `${at}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${at}: unexpected property ${key}`);
    }
  }
  return problems;
}

const schema = JSON.parse(readFileSync(path.join(repoRoot, 'docs/report.schema.json'), 'utf8')) as Schema;

describe('renderJson', () => {
  const report = buildReport(buildInput('zh').input);
  const json = renderJson(report);

  it('validates against docs/report.schema.json', () => {
    assert.deepEqual(validate(JSON.parse(json), schema, schema), []);
    assert.deepEqual(
      validate(JSON.parse(renderJson(buildReport(buildInput('en', { history: false }).input))), schema, schema),
      [],
    );
  });

  it('validates with an item withheld (its URL holds a credential-looking token)', () => {
    const { input } = buildInput('en');
    const item = input.items[input.stories[0]!.itemIds[0]!]!;
    item.url = 'https://video.example/embed?key=AIzaSyA0123456789abcdefghijklmnopqrstu';
    const withheld = JSON.parse(renderJson(buildReport(input))) as Record<string, unknown>;
    assert.equal(withheld.withheld, 1);
    assert.deepEqual(validate(withheld, schema, schema), []);
  });

  it('validates an LLM report (headline, section analysis, insights, llm) against the schema too', async () => {
    const { input } = buildInput('zh');
    const config = llmSchema.parse({ provider: 'openai', baseURL: 'http://127.0.0.1:9/v1', model: 'm' });
    const caller: LlmCaller = {
      promptVersion: 'test',
      stats: { calls: 0, cacheHits: 0, replayed: 0, failures: 0, inputTokens: 0, outputTokens: 0, cost: 0 },
      answers: [],
      async call<T>(request: CallRequest<T>) {
        const answer = faithfulAnswer({ prompt: request.prompt, system: request.system } as MockRequest);
        const parsed = request.schema.safeParse(answer);
        return parsed.success ? parsed.data : undefined;
      },
    };
    const report = await analyzeWithLlm(input, { config, caller, topStories: 6 });
    assert.ok(report.insights && report.llm && report.sections.some((s) => s.analysis));
    assert.ok(report.sections.some((s) => s.stories.some((story) => story.headline)));
    assert.ok(report.demo, `a demo ran: ${JSON.stringify(report.demoAbsence)}`);
    assert.deepEqual(validate(JSON.parse(renderJson(report)), schema, schema), []);
    // And a report that says why it has none.
    const { demo: _demo, ...withoutDemo } = report;
    const absent = { ...withoutDemo, demoAbsence: { reason: 'sandbox-unavailable' as const, attempts: 1 } };
    assert.deepEqual(validate(JSON.parse(renderJson(absent)), schema, schema), []);
  });

  it('a digest story: `digest` and its headlines in the JSON; in LLM mode the model is never asked about it', async () => {
    const { input } = buildInput('zh');
    const story = input.stories.find((candidate) => candidate.itemIds.length === 1)!;
    const id = story.itemIds[0]!;
    const title = 'AI日报：模型甲正式发布；产品乙今日上线；公司丙完成新一轮融资';
    input.items[id] = {
      ...input.items[id]!,
      title,
      text: '1、模型甲正式发布模型甲今日发布，性能大幅提升。另一家公司的产品也有更新。',
    };
    const extractive = JSON.parse(renderJson(buildReport(input)));
    assert.deepEqual(validate(extractive, schema, schema), []);
    const shown = (
      extractive.sections as { stories: { id: string; digest?: boolean; summary: { text: string }[] }[] }[]
    )
      .flatMap((section) => section.stories)
      .find((candidate) => candidate.id === story.id)!;
    assert.equal(shown.digest, true);
    assert.deepEqual(
      shown.summary.map((line) => line.text),
      ['模型甲正式发布', '产品乙今日上线', '公司丙完成新一轮融资'],
    );

    const config = llmSchema.parse({ provider: 'openai', baseURL: 'http://127.0.0.1:9/v1', model: 'm' });
    const prompts: string[] = [];
    const caller: LlmCaller = {
      promptVersion: 'test',
      stats: { calls: 0, cacheHits: 0, replayed: 0, failures: 0, inputTokens: 0, outputTokens: 0, cost: 0 },
      answers: [],
      async call<T>(request: CallRequest<T>) {
        prompts.push(request.prompt);
        const answer = faithfulAnswer({ prompt: request.prompt, system: request.system } as MockRequest);
        const parsed = request.schema.safeParse(answer);
        return parsed.success ? parsed.data : undefined;
      },
    };
    const report = await analyzeWithLlm(input, { config, caller, topStories: 6 });
    assert.ok(prompts.length > 0);
    for (const prompt of prompts) assert.ok(!prompt.includes('产品乙今日上线'), 'the digest is in no prompt');
    const llmStory = report.sections.flatMap((section) => section.stories).find((s) => s.id === story.id)!;
    assert.equal(llmStory.digest, true);
    assert.equal(llmStory.headline, undefined);
    assert.deepEqual(
      llmStory.summary.map((line) => line.text),
      shown.summary.map((line) => line.text),
    );
    assert.deepEqual(
      report.llm!.pieces.filter((piece) => piece.storyId === story.id),
      [
        { part: 'headlines', storyId: story.id, writtenBy: 'extractive', cause: 'digest' },
        { part: 'storySummaries', storyId: story.id, writtenBy: 'extractive', cause: 'digest' },
      ],
    );
    assert.deepEqual(validate(JSON.parse(renderJson(report)), schema, schema), []);
  });

  it('the schema checker catches a wrong document', () => {
    const broken = JSON.parse(json) as Record<string, unknown>;
    broken.schemaVersion = 2;
    delete broken.references;
    (broken.sections as { stories: { links: unknown[] }[] }[])[0]!.stories[0]!.links = [];
    const problems = validate(broken, schema, schema);
    assert.ok(problems.some((p) => p.includes('missing references')));
    assert.ok(problems.some((p) => p.startsWith('$.schemaVersion')));
    assert.ok(problems.some((p) => p.includes('fewer than 1')));
  });

  it('is byte-identical for the same report, 2-space indented, sorted, with a trailing newline', () => {
    assert.equal(renderJson(buildReport(buildInput('zh').input)), json);
    assert.ok(json.endsWith('}\n'));
    assert.ok(json.startsWith('{\n  "author": '));
    const parsed = JSON.parse(json) as Record<string, unknown>;
    assert.equal(parsed.schemaVersion, 1);
    assert.deepEqual(Object.keys(parsed), [...Object.keys(parsed)].sort());
    assert.equal(JSON.stringify(parsed, null, 2), json.trimEnd());
  });

  it('does not depend on the key order of the report object', () => {
    const reversed = Object.fromEntries(Object.entries(report).reverse()) as typeof report;
    assert.equal(renderJson(reversed), json);
    assert.deepEqual(sortKeysDeep({ b: 1, a: { d: undefined, c: [{ z: 1, y: 2 }] } }), {
      a: { c: [{ y: 2, z: 1 }] },
      b: 1,
    });
  });
});
