import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildInput } from '../../test/fixtures/report/build-input.js';
import { buildReport } from '../analyze/extractive.js';
import {
  environmentValues,
  fragmentMask,
  publishableReport,
  REDACTED,
  safeSourceText,
  sourceFragments,
  withoutEnvironmentValues,
} from './source-text.js';

describe('safeSourceText', () => {
  it('redacts credential-looking tokens and keeps the words around them', () => {
    const cases = [
      'sk-proj-abcdefghijklmnopqrstuvwx',
      'sk-ant-abcdefghijklmnopqrstuvwx',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'github_pat_abcdefghijklmnopqrstuvwxyz_0123',
      'AKIAABCDEFGHIJKLMNOP',
      'ASIAABCDEFGHIJKLMNOP',
      'aws_secret_access_key=abcdefghijABCDEFGHIJ0123456789abcdefghij',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'xoxb-1234567890-abcdefghij',
      'AIzaSyA0123456789abcdefghijklmnopqrstu',
    ];
    for (const secret of cases) {
      assert.equal(safeSourceText(`before ${secret} after`), `before ${REDACTED} after`, secret);
    }
  });

  it('drops ANSI escapes, control characters and bidirectional overrides; keeps line breaks and ordinary text', () => {
    assert.equal(safeSourceText('\u001b[31mred\u001b[0m and \u001b]8;;x\u0007link'), 'red and link');
    assert.equal(safeSourceText('a\u0000b\u0007c'), 'a b c');
    assert.equal(safeSourceText('abc\u202edcba\u202c'), 'abcdcba');
    assert.equal(safeSourceText('line\nnext\r\n千问 Qwen4 ─── /usr/bin'), 'line\nnext\r\n千问 Qwen4 ─── /usr/bin');
  });
});

describe('publishableReport and sourceFragments', () => {
  it('changes text, never a URL or an id, and is idempotent', () => {
    const report = buildReport(buildInput('en').input);
    const story = report.sections[0]!.stories[0]!;
    story.title = 'Key sk-abcdefghijklmnopqrstuvwxyz123456 leaked';
    story.links[0]!.url = 'https://example.com/\u202eq?\u0007';
    const safe = publishableReport(report);
    assert.equal(safe.sections[0]!.stories[0]!.title, `Key ${REDACTED} leaked`);
    assert.equal(safe.sections[0]!.stories[0]!.links[0]!.url, story.links[0]!.url);
    assert.equal(safe.sections[0]!.stories[0]!.id, story.id);
    assert.deepEqual(publishableReport(safe), safe);
    assert.notEqual(
      report.sections[0]!.stories[0]!.title,
      safe.sections[0]!.stories[0]!.title,
      'the input is unchanged',
    );
  });

  it('lists the titles, sentences and names a source wrote, and none of our labels', () => {
    const report = buildReport(buildInput('en').input);
    const fragments = sourceFragments(report);
    for (const reference of report.references) assert.ok(fragments.includes(reference.title), reference.title);
    for (const section of report.sections) assert.ok(!fragments.includes(section.heading), section.heading);
    assert.ok(!fragments.some((fragment) => report.executiveSummary.some((line) => line.text === fragment)));
  });

  it('masks longest fragments first', () => {
    const mask = fragmentMask(['WARNING', 'WARNING: AI agents']);
    assert.equal(mask('x WARNING: AI agents y WARNING z'), 'x ◇ y ◇ z');
  });
});

describe('environment values in a report', () => {
  /** A user's home folder (under the temp folder, not a real one). */
  const home = path.join(os.tmpdir(), 'ai-daily-user-alice');
  const env = {
    HOSTNAME: 'build-runner-42.internal',
    HOME: home,
    CHAT_ID: '-1001234567890',
    USER: 'root',
    LANG: 'C.UTF-8',
    TZ: 'Asia/Shanghai',
    DEBIAN_FRONTEND: 'noninteractive',
    HOST_ALIAS: 'localhost',
    PYTHON: '/usr/bin/python3',
    GITHUB_SERVER_URL: 'https://github.com',
    EMPTY: '',
  };

  it('counts only values that tell something about the machine: not short, plain-word, system-path or public ones', () => {
    assert.deepEqual(
      environmentValues(env)
        .map((entry) => entry.variable)
        .sort(),
      ['CHAT_ID', 'HOME', 'HOSTNAME'],
    );
    assert.deepEqual(
      environmentValues(env, ['build-runner-42.internal'])
        .map((entry) => entry.variable)
        .sort(),
      ['CHAT_ID', 'HOME'],
      'a value the config shows (title, author) is allowed',
    );
  });

  it('replaces a value where a source wrote it, withholds an item whose URL holds one, and counts both', () => {
    const report = buildReport(buildInput('en').input);
    const [first, second] = report.sections[0]!.stories;
    first!.title = 'Deploys on build-runner-42.internal went down';
    first!.summary[0]!.text = `Files in ${home}/notes were read by build-runner-42.internal.`;
    const unsafeUrl = second!.links[0]!.url;
    const withValue = `https://example.com/chat/-1001234567890`;
    second!.links[0]!.url = withValue;
    for (const reference of report.references) if (reference.url === unsafeUrl) reference.url = withValue;
    const { report: safe, redactions } = withoutEnvironmentValues(report, env);

    const text = JSON.stringify(safe);
    for (const { value } of environmentValues(env)) assert.equal(text.includes(value), false, value);
    const story = safe.sections.flatMap((section) => section.stories).find((s) => s.id === first!.id)!;
    assert.equal(story.title, `Deploys on ${REDACTED} went down`);
    assert.equal(story.summary[0]!.text, `Files in ${REDACTED}/notes were read by ${REDACTED}.`);
    assert.ok((safe.withheld ?? 0) >= 1, 'the item linked through the value is withheld');
    assert.deepEqual(Object.fromEntries(redactions.map((entry) => [entry.variable, entry.texts > 0])), {
      HOSTNAME: true,
      HOME: true,
      CHAT_ID: true,
    });
    // Plain words and short values stay as the source wrote them.
    const plain = buildReport(buildInput('en').input);
    plain.sections[0]!.stories[0]!.title = 'root access on localhost, noninteractive, via /usr/bin/python3';
    const kept = withoutEnvironmentValues(plain, env);
    assert.deepEqual(kept.redactions, []);
    assert.equal(kept.report.sections[0]!.stories[0]!.title, plain.sections[0]!.stories[0]!.title);
  });
});
