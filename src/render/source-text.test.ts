import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildInput } from '../../test/fixtures/report/build-input.js';
import { buildReport } from '../analyze/extractive.js';
import { fragmentMask, publishableReport, REDACTED, safeSourceText, sourceFragments } from './source-text.js';

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
