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

test('labelled set: precision ≥ 0.95, recall ≥ 0.95, at most 2% of faithful sentences dropped', (t) => {
  const measure = measureLabelledSet();
  const faithful = measure.falsePositives + measure.trueNegatives;
  const faithfulDropped = measure.falsePositives / faithful;
  t.diagnostic(
    `tp=${measure.truePositives} fp=${measure.falsePositives} fn=${measure.falseNegatives} tn=${measure.trueNegatives} ` +
      `precision=${measure.precision.toFixed(3)} recall=${measure.recall.toFixed(3)} ` +
      `faithful dropped=${(100 * faithfulDropped).toFixed(1)}%`,
  );
  for (const outcome of measure.outcomes) {
    if (outcome.sentence.fabricated !== (outcome.dropped !== undefined)) {
      t.diagnostic(`${outcome.sentence.fabricated ? 'kept' : 'dropped'}: ${outcome.group}: ${outcome.sentence.text}`);
    }
  }
  assert.ok(measure.precision >= 0.95, `precision ${measure.precision}`);
  assert.ok(measure.recall >= 0.95, `recall ${measure.recall}`);
  assert.ok(faithfulDropped <= 0.02, `faithful dropped ${faithfulDropped}`);
});

test('labelled set: real-model-style prose (synthesis over several excerpts, counts of cited items, transliterated names, superlatives)', (t) => {
  const measure = measureLabelledSet();
  const synthesis = measure.outcomes.filter((o) => o.sentence.cites.length > 1);
  const zh = measure.outcomes.filter((o) => o.sentence.language === 'zh' && /^(?:synthesis|person)/.test(o.group));
  t.diagnostic(
    `${synthesis.length} sentences cite two excerpts or more; ${zh.length} real-model-style Chinese sentences`,
  );
  assert.ok(synthesis.length >= 50, `${synthesis.length}`);
  assert.ok(zh.length >= 80, `${zh.length}`);
  // Faithful synthesis, including counts of the cited items ("另有两篇论文", "two papers"), is kept.
  const droppedSynthesis = synthesis.filter((o) => !o.sentence.fabricated && o.dropped !== undefined);
  assert.deepEqual(
    droppedSynthesis.map((o) => `${o.sentence.text}: ${o.dropped?.detail}`),
    [],
  );
  // Every fabrication of these kinds is caught, with its reason.
  const expected: Record<string, string> = {
    'count (more than the cited items)': 'unsupported-number',
    'cross-excerpt figure': 'unsupported-number',
    superlative: 'unsupported-claim',
    'transliterated name': 'unsupported-name',
  };
  for (const [change, reason] of Object.entries(expected)) {
    const cases = measure.outcomes.filter((o) => o.sentence.change === change);
    assert.ok(cases.length >= 4, `${change}: ${cases.length}`);
    assert.deepEqual(
      cases.filter((o) => o.dropped?.reason !== reason).map((o) => `${o.sentence.text}: ${o.dropped?.reason}`),
      [],
      change,
    );
  }
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
