import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { DemoDraft, GenerateDemo } from './index.js';
import { buildDemo, demoRelativePath, runPythonDemo, sectionFolder, writeDemo } from './index.js';

const story = {
  section: 'Research',
  title: 'Up to 3.2x Faster Inference with LFM2.5-DSpark',
  url: 'https://huggingface.co/blog/lfm2-5-dspark',
};
const now = new Date('2026-08-22T02:00:00Z');

/** A generate callback that returns the drafts in order and records the feedback it was given. */
function scripted(drafts: DemoDraft[]): { generate: GenerateDemo; feedback: (string | undefined)[] } {
  const feedback: (string | undefined)[] = [];
  let index = 0;
  const generate: GenerateDemo = async (given) => {
    feedback.push(given);
    const draft = drafts[Math.min(index, drafts.length - 1)];
    index += 1;
    if (draft === undefined) throw new Error('no draft');
    return draft;
  };
  return { generate, feedback };
}

const SPECULATIVE = {
  shows: 'speculative decoding: a cheap draft model proposes tokens, the target model verifies them',
  code: [
    'import random',
    'random.seed(7)',
    'target = "the quick brown fox jumps over the lazy dog".split()',
    'accepted = sum(1 for word in target if random.random() < 0.75)',
    'print(f"draft tokens accepted: {accepted}/{len(target)}")',
  ].join('\n'),
};

async function withOutDir(run: (outDir: string) => Promise<void>): Promise<void> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'ai-daily-demo-out-'));
  try {
    await run(outDir);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

test('a demo that runs is published with its header and its real output', async () => {
  await withOutDir(async (outDir) => {
    const { generate, feedback } = scripted([SPECULATIVE]);
    const build = await buildDemo(story, generate, { date: '2026-08-22', now });
    assert.ok(build.published, JSON.stringify(build));
    assert.deepEqual(feedback, [undefined]);
    assert.equal(build.relativePath, 'demo_code/research/demo_20260822.py');
    const written = await writeDemo(outDir, build);
    assert.equal(written, path.join(outDir, 'demo_code', 'research', 'demo_20260822.py'));
    const content = await readFile(written, 'utf8');
    assert.match(build.output, /^draft tokens accepted: \d\/9\n$/);
    assert.ok(content.includes(`#   ${build.output.trim()}`), 'the header shows the real output');
    assert.ok(content.includes(`# Story: ${story.title}`));
    assert.ok(content.includes(`# Source: ${story.url}`));
    assert.ok(content.includes(`# What it shows: ${SPECULATIVE.shows}`));
    assert.match(content, /^# Checked on 2026-08-22: exit code 0$/m);
    assert.match(content, /^# {3}\$ policy\.py check demo\.py/m);
    assert.match(
      content,
      /^# {3}\$ bwrap --unshare-all --cap-drop ALL --clearenv \(.*\) -- python3 -I -B -S demo\.py$/m,
    );
    assert.match(content, /^# Limits: .*no network, no new process$/m);
    assert.ok(content.endsWith(`${SPECULATIVE.code}\n`));
    assert.doesNotMatch(content, /\/tmp\/|ai-daily-demo-/, 'no absolute or temporary path is published');
    assert.deepEqual(await readdir(path.join(outDir, 'demo_code', 'research')), ['demo_20260822.py']);
    // The published file, header included, runs as it is and prints the same.
    const rerun = await runPythonDemo(content);
    assert.ok(rerun.status === 'ok', JSON.stringify(rerun));
    assert.equal(rerun.stdout, build.output);
  });
});

test('a demo that fails to compile is retried with the error, then published', async () => {
  const { generate, feedback } = scripted([{ shows: 'broken', code: 'print("a"\n' }, SPECULATIVE]);
  const build = await buildDemo(story, generate, { date: '2026-08-22', now });
  assert.ok(build.published);
  assert.equal(feedback.length, 2);
  assert.match(feedback[1] ?? '', /failed at the compile check/);
  assert.match(feedback[1] ?? '', /SyntaxError at line 1/);
  assert.deepEqual(
    build.attempts.map((a) => a.outcome),
    ['compile', 'ok'],
  );
});

test('a demo that tries the network is refused by the policy and is not published after the last attempt', async () => {
  const network = {
    shows: 'fetching a page',
    code: "import urllib.request\nprint(urllib.request.urlopen('http://127.0.0.1:1', timeout=2).read())\n",
  };
  const { generate, feedback } = scripted([network]);
  const build = await buildDemo(story, generate, { date: '2026-08-22', now, maxAttempts: 2 });
  assert.equal(build.published, false);
  assert.ok(!build.published);
  assert.equal(feedback.length, 2);
  assert.match(feedback[1] ?? '', /failed at the policy check/);
  assert.match(feedback[1] ?? '', /line 1: import of urllib is not allowed/);
  assert.match(feedback[1] ?? '', /line 2: a string holds a URL/);
  assert.match(build.reason, /no demo passed after 2 attempts/);
});

test('a demo that prints nothing, or whose "shows" line or output is refused, is sent back and not published', async () => {
  const { generate, feedback } = scripted([
    { shows: 'silent', code: 'x = 1\n' },
    { shows: 'refused line', code: 'print(1)\n' },
    { shows: 'markup', code: 'print("<b>bold")\n' },
  ]);
  const build = await buildDemo(story, generate, {
    date: '2026-08-22',
    now,
    checkShows: (draft) => (draft.shows === 'refused line' ? 'no cited excerpt says so' : undefined),
    checkOutput: (stdout) => (stdout.includes('<b>') ? 'it prints HTML' : undefined),
  });
  assert.ok(!build.published);
  assert.deepEqual(
    build.attempts.map((a) => a.outcome),
    ['empty', 'shows', 'unpublishable'],
  );
  assert.match(feedback[1] ?? '', /printed nothing/);
  assert.match(feedback[2] ?? '', /"shows" line was refused: no cited excerpt says so/);
});

test('a demo that loops forever is killed and the model is told to make it finish', async () => {
  const { generate, feedback } = scripted([{ shows: 'loop', code: 'while True:\n    pass\n' }, SPECULATIVE]);
  const build = await buildDemo(story, generate, {
    date: '2026-08-22',
    now,
    sandbox: { timeoutMs: 1500, cpuSeconds: 60 },
  });
  assert.ok(build.published, JSON.stringify(build));
  assert.match(feedback[1] ?? '', /failed at the timeout check/);
  assert.match(feedback[1] ?? '', /was killed/);
});

test('without bubblewrap nothing is asked, run or published, and the reason is given at once', async () => {
  await withOutDir(async (outDir) => {
    const { generate, feedback } = scripted([SPECULATIVE]);
    const build = await buildDemo(story, generate, {
      date: '2026-08-22',
      now,
      sandbox: { bwrap: '/nonexistent/bwrap' },
    });
    assert.ok(!build.published);
    assert.equal(build.unavailable, true);
    assert.match(build.reason, /bubblewrap .* is not installed/);
    assert.equal(feedback.length, 0, 'the model is not asked for code that cannot run');
    assert.deepEqual(await readdir(outDir), []);
  });
});

test('a demo that is too long, or uses a non-standard module, is sent back with the reason', async () => {
  const { generate, feedback } = scripted([
    { shows: 'long', code: `# ${'x'.repeat(20_000)}\nprint(1)\n` },
    { shows: 'numpy', code: 'import numpy\nprint(numpy.zeros(3))\n' },
    SPECULATIVE,
  ]);
  const build = await buildDemo(story, generate, { date: '2026-08-22', now });
  assert.ok(build.published);
  assert.match(feedback[1] ?? '', /keep it under 16384 bytes/);
  assert.match(feedback[2] ?? '', /import of numpy is not allowed/);
});

test('header text cannot break out of its comment, and section names are safe folder names', async () => {
  const hostile = { ...story, title: 'Title\nimport os; os.system("id")', section: '../../etc' };
  const build = await buildDemo(hostile, scripted([{ ...SPECULATIVE, shows: 'coding: rot13 a\rb\u2028c' }]).generate, {
    date: '2026-08-22',
    now,
  });
  assert.ok(build.published);
  assert.equal(build.relativePath, 'demo_code/etc/demo_20260822.py');
  const headerLines = build.content.split('\n').slice(0, build.content.split('\n').indexOf(''));
  assert.ok(
    headerLines.every((line) => line.startsWith('#')),
    headerLines.join('\n'),
  );
  assert.equal(sectionFolder('模型'), 'general');
  assert.throws(() => demoRelativePath('x', '2026-8-22'), /YYYY-MM-DD/);
  const badUrl = await buildDemo({ ...story, url: 'javascript:alert(1)' }, scripted([SPECULATIVE]).generate, {
    date: '2026-08-22',
  });
  assert.ok(!badUrl.published);
  assert.match(badUrl.reason, /not http/);
});
