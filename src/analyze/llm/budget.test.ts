import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costOf, planWork } from './budget.js';

const story = { inputTokens: 1000, outputTokens: 500 };
const overview = { full: { inputTokens: 3000, outputTokens: 2000 }, short: { inputTokens: 1500, outputTokens: 800 } };
const prices = { inputPer1M: 1, outputPer1M: 2 };

describe('planWork', () => {
  it('does everything when the budget allows', () => {
    const plan = planWork([story, story, story], overview, { maxInputTokens: 1e6, maxOutputTokens: 1e6, prices });
    assert.deepEqual(plan, { stories: 3, overview: 'full' });
  });

  it('analyses fewer stories first (the best ranked kept)', () => {
    // 3000 + 2×1000 = 5000 input fits, a third story does not.
    const plan = planWork([story, story, story], overview, { maxInputTokens: 5500, maxOutputTokens: 1e6, prices });
    assert.deepEqual(plan, { stories: 2, overview: 'full' });
  });

  it('then shortens the overview', () => {
    const plan = planWork([story, story], overview, { maxInputTokens: 2000, maxOutputTokens: 1e6, prices });
    assert.deepEqual(plan, { stories: 0, overview: 'short' });
  });

  it('then leaves the overview to extraction, still analysing what fits', () => {
    const plan = planWork([story, story], overview, { maxInputTokens: 1200, maxOutputTokens: 1e6, prices });
    assert.deepEqual(plan, { stories: 1, overview: 'none' });
  });

  it('honours a cost limit at the configured prices', () => {
    // full overview: 3000×1 + 2000×2 = 7000 µ; each story 1000 + 1000 = 2000 µ.
    assert.equal(costOf(story, prices), 0.002);
    const plan = planWork([story, story], overview, {
      maxInputTokens: 1e6,
      maxOutputTokens: 1e6,
      maxCost: 0.0095,
      prices,
    });
    assert.deepEqual(plan, { stories: 1, overview: 'full' });
  });
});
