import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { llmSchema } from '../../config/schema.js';
import type { ReportStory } from '../../core/report.js';
import type { CallRequest, LlmCaller } from './caller.js';
import { chooseDemoStory, DEMO_SECTIONS, demoPrompt, demoStep, publishableOutput } from './demo.js';
import type { Excerpt } from './prompt.js';

const config = llmSchema.parse({ provider: 'openai', baseURL: 'http://127.0.0.1:9/v1', model: 'm' });

function story(id: string, section: ReportStory['section']): ReportStory {
  return {
    id,
    title: `Story ${id}`,
    section,
    summary: [],
    links: [],
    sourceNames: [],
    score: { total: 1 } as ReportStory['score'],
  };
}

const BODY =
  'Sort the list with a key function: the key maps each element to the value compared, so words sort by their length instead of alphabetically, and ties keep their order.';
const excerpt = (storyId: string, body = BODY): Excerpt => ({
  n: 1,
  itemId: `item-${storyId}`,
  storyId,
  sourceName: 'Source',
  text: `A sorting trick\n(Source)${body === '' ? '' : `\n${body}`}`,
});

/** The analyzer's check of a "shows" line, reduced: a line citing excerpt 1 passes unless it says "unsupported". */
const checkShows = (sentence: { text: string; cites: number[] }) =>
  sentence.cites.includes(1) && !sentence.text.includes('unsupported')
    ? { text: sentence.text, itemIds: ['item-s1'] }
    : { problem: `"${sentence.text}": no cited excerpt supports it` };
const shows = (text: string) => ({ text, cites: [1] });

/** A caller that answers demo requests from a list (one answer per call, in order). */
function scriptedCaller(answers: unknown[]): LlmCaller & { requests: CallRequest<unknown>[] } {
  const requests: CallRequest<unknown>[] = [];
  return {
    promptVersion: 'test',
    stats: { calls: 0, cacheHits: 0, replayed: 0, failures: 0, inputTokens: 0, outputTokens: 0, cost: 0 },
    answers: [],
    requests,
    async call<T>(request: CallRequest<T>): Promise<T | undefined> {
      requests.push(request as CallRequest<unknown>);
      const parsed = request.schema.safeParse(answers[requests.length - 1]);
      return parsed.success ? parsed.data : undefined;
    },
  };
}

const base = {
  config,
  language: 'en' as const,
  date: '2026-08-22',
  story: story('s1', 'llm'),
  excerpts: [excerpt('s1')],
  url: 'https://example.com/post',
  boundary: () => 'b0undary',
  checkShows,
};

describe('choosing the demo story', () => {
  it('takes the best-ranked top story in a section with a technique to try, that has excerpts', () => {
    const stories = new Map(
      [story('a', 'products'), story('b', 'papers'), story('c', 'llm'), story('d', 'applications')].map((s) => [
        s.id,
        s,
      ]),
    );
    const withExcerpts = (ids: string[]) => (id: string) => (ids.includes(id) ? [excerpt(id)] : []);
    const chosen = (ids: string[], withText: string[]) => {
      const choice = chooseDemoStory(ids, stories, withExcerpts(withText));
      return 'story' in choice ? choice.story.id : choice.absence;
    };
    assert.equal(chosen(['a', 'b', 'c'], ['a', 'b', 'c']), 'b');
    assert.equal(chosen(['a', 'b', 'c'], ['c']), 'c');
    assert.equal(chosen(['a', 'd'], ['a', 'd']), 'no-story');
    assert.equal(chosen(['missing'], ['missing']), 'no-story');
    assert.equal(chosen(['b'], []), 'no-source-text');
    assert.ok(!DEMO_SECTIONS.includes('products'));
  });

  it('passes over a story whose sources are titles only, or a line of text', () => {
    const stories = new Map([story('b', 'papers'), story('c', 'llm')].map((s) => [s.id, s]));
    const titleOnly = (id: string) => (id === 'b' ? [excerpt(id, ''), excerpt(id, 'Short dek.')] : [excerpt(id)]);
    const choice = chooseDemoStory(['b', 'c'], stories, titleOnly);
    assert.ok('story' in choice);
    assert.equal(choice.story.id, 'c');
    assert.deepEqual(chooseDemoStory(['b'], stories, titleOnly), { absence: 'no-source-text' });
  });
});

describe('the demo prompt and the output check', () => {
  it('names the allowed modules and adds the failure only on a retry', () => {
    const first = demoPrompt('en', [excerpt('s')], 'bnd', [], undefined);
    assert.match(first, /^Task: demo$/m);
    assert.match(first, /Import only these modules: __future__, abc, array, bisect, .*, typing, unicodedata\./);
    assert.match(first, /"shows": \{"text": .*"cites"/);
    assert.doesNotMatch(first, /refused/);
    const again = demoPrompt('zh', [excerpt('s')], 'bnd', ['numpy'], 'Attempt 1 failed at the run check. URLError');
    assert.match(again, /, numpy, /);
    assert.match(again, /previous program was refused[\s\S]*URLError/);
    assert.match(again, /<<<SOURCE bnd \[1\]>>>/);
  });

  it('refuses output that holds a local path, terminal escapes, a credential shape, a URL, Markdown or HTML', () => {
    assert.equal(publishableOutput('sorted: [1, 2, 3]\n{"mean": 3}\n'), undefined);
    assert.match(publishableOutput('python at /usr/lib/python3\n') ?? '', /absolute file path/);
    assert.match(publishableOutput('key at ~/.ssh/id_ed25519\n') ?? '', /absolute file path/);
    assert.match(publishableOutput('\u001b[31mred\u001b[0m') ?? '', /escape/);
    assert.match(publishableOutput('key sk-abcdefghijklmnopqrstuvwx') ?? '', /credential/);
    assert.match(publishableOutput('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n') ?? '', /credential/);
    assert.match(publishableOutput('get it at https://evil.example/x\n') ?? '', /URL/);
    assert.match(publishableOutput('see [docs](evil)\n') ?? '', /Markdown/);
    assert.match(publishableOutput('<script>alert(1)</script>\n') ?? '', /HTML/);
    assert.match(publishableOutput('[INFO] step 3 done\n') ?? '', /log line/);
  });
});

describe('demoStep (the real sandbox)', () => {
  it('feeds a run whose output cannot be published back to the model, and keeps the demo that passes', async () => {
    const caller = scriptedCaller([
      { shows: shows('Where Python lives'), code: 'print("/" + "usr/lib/python3")\n' },
      { shows: shows('Sorting by an unsupported key'), code: 'print(sorted(["bb", "a", "ccc"], key=len))\n' },
      { shows: shows('Sorting by a key'), code: 'print(sorted(["bb", "a", "ccc"], key=len))\n' },
    ]);
    const result = await demoStep({ ...base, caller, reserve: () => true });
    assert.ok('demo' in result, JSON.stringify(result));
    assert.equal(result.demo.attempts, 3);
    assert.equal(result.demo.shows, 'Sorting by a key');
    assert.deepEqual(result.showsItemIds, ['item-s1']);
    assert.equal(result.demo.output, "['a', 'bb', 'ccc']\n");
    assert.equal(result.demo.path, 'demo_code/llm/demo_20260822.py');
    assert.equal(caller.requests.length, 3);
    assert.match(caller.requests[1]!.prompt, /absolute file path/);
    assert.match(caller.requests[2]!.prompt, /no cited excerpt supports it/);
    // The feedback is part of the cache key: a retry is its own cached answer.
    assert.notEqual(caller.requests[0]!.key, caller.requests[1]!.key);
  });

  it('asks nothing when the budget has no room, and says so', async () => {
    const caller = scriptedCaller([]);
    const result = await demoStep({ ...base, caller, reserve: () => false });
    assert.deepEqual(result, { absence: { reason: 'budget', attempts: 0 } });
    assert.equal(caller.requests.length, 0);
  });

  it('a model that gives no usable answer leaves no demo', async () => {
    const caller = scriptedCaller([{ wrong: 'shape' }]);
    const result = await demoStep({ ...base, caller, reserve: () => true });
    assert.deepEqual(result, { absence: { reason: 'no-answer', attempts: 0 } });
  });

  it('a failure after a run is a failed demo even when the budget then runs out', async () => {
    let granted = 1;
    const caller = scriptedCaller([{ shows: shows('Broken'), code: 'print(1/0)\n' }]);
    const problems: string[] = [];
    const result = await demoStep({
      ...base,
      caller,
      reserve: () => granted-- > 0,
      onProblem: (detail) => problems.push(detail),
    });
    assert.deepEqual(result, { absence: { reason: 'failed', attempts: 1 } });
    assert.equal(problems.length, 1);
  });
});
