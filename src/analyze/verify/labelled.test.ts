import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadLabelledSet, measureLabelledSet } from '../../../test/support/verify-labelled.js';

test('labelled set: at least 150 sentences over real excerpts, zh and en, faithful and fabricated', () => {
  const sentences = loadLabelledSet().flatMap((group) => group.sentences);
  assert.ok(sentences.length >= 150, `${sentences.length} sentences`);
  for (const language of ['zh', 'en'] as const) {
    assert.ok(sentences.filter((s) => s.language === language && s.fabricated).length >= 30, `${language} fabricated`);
    assert.ok(sentences.filter((s) => s.language === language && !s.fabricated).length >= 30, `${language} faithful`);
  }
});

test('labelled set: precision ≥ 0.95 and recall ≥ 0.9 in detecting fabricated sentences', (t) => {
  const measure = measureLabelledSet();
  t.diagnostic(
    `tp=${measure.truePositives} fp=${measure.falsePositives} fn=${measure.falseNegatives} tn=${measure.trueNegatives} ` +
      `precision=${measure.precision.toFixed(3)} recall=${measure.recall.toFixed(3)}`,
  );
  for (const outcome of measure.outcomes) {
    if (outcome.sentence.fabricated !== (outcome.dropped !== undefined)) {
      t.diagnostic(`${outcome.sentence.fabricated ? 'kept' : 'dropped'}: ${outcome.group}: ${outcome.sentence.text}`);
    }
  }
  assert.ok(measure.precision >= 0.95, `precision ${measure.precision}`);
  assert.ok(measure.recall >= 0.9, `recall ${measure.recall}`);
});

test('labelled set: every changed number, version, date, unit, name or company is caught, with the token named', () => {
  const measure = measureLabelledSet();
  const factual = measure.outcomes.filter((o) => o.sentence.fabricated && !o.sentence.change?.startsWith('claim'));
  assert.ok(factual.length >= 100);
  const kept = factual.filter((o) => o.dropped === undefined).map((o) => o.sentence.text);
  assert.deepEqual(kept, []);
  for (const outcome of factual) {
    const dropped = outcome.dropped;
    assert.ok(dropped);
    if (dropped.reason === 'unsupported-number' || dropped.reason === 'unsupported-name') {
      // The detail quotes the unsupported token as the sentence wrote it.
      const quoted = [...(dropped.detail ?? '').matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '');
      assert.ok(quoted.length > 0, dropped.detail);
      for (const token of quoted)
        assert.ok(outcome.sentence.text.normalize('NFKC').includes(token), `${token} in ${outcome.sentence.text}`);
    }
  }
});
