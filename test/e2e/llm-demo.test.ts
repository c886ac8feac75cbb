/**
 * The demo step of an LLM run, end to end: a recorded day replayed through `runCommand` with a
 * scripted model on 127.0.0.1 that writes the demo; the demo runs in the real sandbox (unshare +
 * prlimit, no network). A demo that ran is published beside the report with its real output; one
 * that tries the network fails in the sandbox, is retried with the error and is never published;
 * without the sandbox nothing runs and the report says why; a re-run makes no call and writes the
 * same bytes.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { type LlmDayOptions, removeLlmDays, runLlmDay, type Script } from '../support/llm-day.js';
import { faithfulAnswer, type MockRequest, taskOf } from '../support/mock-llm-server.js';

after(removeLlmDays);

const faithful: Script = (request) => ({ kind: 'object', value: faithfulAnswer(request) });

const runDay = (script: Script, options: Omit<LlmDayOptions, 'llmLines'> & { demo?: string[] } = {}) => {
  const { demo, ...rest } = options;
  return runLlmDay(script, {
    ...rest,
    ...(demo ? { llmLines: ['  demo:', ...demo.map((line) => `    ${line}`)] } : {}),
  });
};

const demoRequests = (requests: MockRequest[]) => requests.filter((r) => taskOf(r.prompt) === 'demo');

describe('run --mode llm: the demo (needs unshare and prlimit, as the sandbox does)', () => {
  it('publishes a demo that ran, with its header, beside its story with its real output; a re-run makes no call and writes the same bytes', async () => {
    const first = await runDay(faithful);
    const demo = first.json.demo;
    assert.ok(demo, `no demo: ${JSON.stringify(first.json.demoAbsence)}`);
    assert.equal(first.json.demoAbsence, undefined);
    assert.equal(demoRequests(first.requests).length, 1);
    assert.equal(demo.attempts, 1);
    // A top story in a section with a technique to try.
    assert.ok(first.json.topStories.some((top) => top.storyId === demo.storyId));
    assert.ok(['llm', 'opensource', 'multimodal', 'papers'].includes(demo.section));
    assert.equal(demo.path, `demo_code/${demo.section}/demo_20260822.py`);

    const file = path.join(first.out, demo.path);
    const content = readFileSync(file, 'utf8');
    const lines = content.split('\n');
    assert.equal(lines[0], '# -*- coding: utf-8 -*-');
    assert.match(content, /^# What it shows: Counting the words/m);
    assert.ok(content.includes(`# Source: ${demo.url}`));
    assert.match(content, /^# {3}\$ python3 -m py_compile demo\.py$/m);
    assert.match(content, /no network/);
    assert.ok(content.endsWith(demo.code), 'the code is published as it ran');

    // The output shown is the real output: running the published file prints the same.
    const printed = execFileSync('python3', ['-I', '-B', file], { encoding: 'utf8' });
    assert.equal(demo.output, printed);
    assert.match(printed, /^words: \d+\ndistinct: \d+\n$/);

    // Beside its story in the Markdown: the code fenced, the output, how it was checked.
    const storyAt = first.markdown.indexOf(
      first.json.sections
        .flatMap((s) => s.stories)
        .find((s) => s.id === demo.storyId)!
        .title.slice(0, 12),
    );
    const demoAt = first.markdown.indexOf('**演示代码**');
    assert.ok(storyAt >= 0 && demoAt > storyAt);
    assert.ok(first.markdown.includes('```python\nfrom collections import Counter\n'));
    for (const line of printed.trimEnd().split('\n')) assert.ok(first.markdown.includes(`\n${line}\n`));
    assert.match(first.markdown, /无网络的沙箱/);

    // A re-run: no call, the same report and the same demo file, byte for byte.
    const second = await runDay(() => assert.fail('no call expected on a re-run'), { dir: first.dir });
    assert.equal(second.requests.length, 0);
    assert.equal(second.markdown, first.markdown);
    assert.equal(second.jsonText, first.jsonText);
    assert.equal(readFileSync(file, 'utf8'), content);

    // The other language of the same day publishes its own demo beside it, named like its report.
    const english = await runDay(faithful, { dir: first.dir, lang: 'en', configLanguage: 'zh' });
    assert.equal(english.json.demo?.path, `demo_code/${demo.section}/demo_20260822.en.py`);
    assert.ok(existsSync(path.join(english.out, english.json.demo.path)));
    assert.equal(readFileSync(file, 'utf8'), content, 'the zh demo is left as it was');
    // The path reads as written in the raw Markdown: nothing in it would be markup there.
    assert.ok(english.markdown.includes(`demo_code/${demo.section}/demo_20260822.en.py`));
  });

  it('a demo that tries the network fails in the sandbox, is retried with the error, and is never published', async () => {
    const script: Script = (request) => {
      if (taskOf(request.prompt) !== 'demo') return faithful(request, 0);
      return {
        kind: 'object',
        value: {
          shows: 'Fetching a page',
          code: "import urllib.request\nprint(urllib.request.urlopen('http://127.0.0.1:1', timeout=2).read())\n",
        },
      };
    };
    const run = await runDay(script, { lang: 'en' });
    const asked = demoRequests(run.requests);
    assert.equal(asked.length, 3);
    assert.doesNotMatch(asked[0]!.prompt, /previous program was refused/);
    for (const retry of asked.slice(1)) {
      assert.match(retry.prompt, /previous program was refused/);
      assert.match(retry.prompt, /URLError|refused|unreachable/i);
    }
    assert.equal(run.json.demo, undefined);
    assert.deepEqual(run.json.demoAbsence, { reason: 'failed', attempts: 3 });
    assert.equal(existsSync(path.join(run.out, 'demo_code')), false);
    assert.match(run.markdown, /- Demo: none \(every attempt failed/);
    assert.doesNotMatch(run.markdown, /urlopen/);
  });
});

describe('run --mode llm: no sandbox, no demo', () => {
  for (const lang of ['zh', 'en'] as const) {
    it(`runs nothing, publishes nothing and says why (${lang})`, async () => {
      const run = await runDay(faithful, { demo: ['unshare: ai-daily-no-such-unshare'], lang });
      // The model was asked once; with no sandbox nothing ran, so there is nothing to retry.
      assert.equal(demoRequests(run.requests).length, 1);
      assert.equal(run.json.demo, undefined);
      assert.deepEqual(run.json.demoAbsence, { reason: 'sandbox-unavailable', attempts: 1 });
      assert.equal(existsSync(path.join(run.out, 'demo_code')), false);
      assert.doesNotMatch(run.markdown, /Counter/);
      assert.match(run.markdown, lang === 'zh' ? /无法创建无网络沙箱/ : /no network-free sandbox can be made here/);
      assert.doesNotMatch(run.jsonText, /ai-daily-no-such-unshare/);
    });
  }

  it('with llm.demo.enabled false no demo is asked for', async () => {
    const run = await runDay(faithful, { demo: ['enabled: false'], lang: 'en' });
    assert.equal(demoRequests(run.requests).length, 0);
    assert.deepEqual(run.json.demoAbsence, { reason: 'disabled', attempts: 0 });
    assert.match(run.markdown, /- Demo: none \(turned off in the config\)/);
  });
});
