/**
 * The editorial benchmark (bench/editorial.ts) with thresholds: every labelled day of
 * test/fixtures/editorial runs through the real CLI (`ai-daily run --replay`, spawned), and the
 * reports must keep at least the quality this branch reached when the thresholds were set.
 * `npm run bench` prints the same figures as a table with each day's top stories.
 *
 * Measured when set (9 days, two of them Chinese days added for issue 14; the labels were written
 *   before looking at the output): top-story precision 27/35 = 0.77; must-have recall 46/46 = 1.00
 *   in the report (a story, or a title among its section's other headlines), 23/46 = 0.50 among the
 *   top stories; must-merge pairs merged 4/4, among them a digest's lead joining its primary
 *   source's story; hard negatives wrongly merged 0/21; off-topic leaks 0/13.
 * Lowered by issue 14 ("no bare story"): a story with nothing to say beyond its title never takes a
 *   top slot. Before that rule, with bare titles allowed on top, the same days measured 42/52 = 0.81
 *   and 38/46 = 0.83 among the top stories: on five days the editor's top labels include title-only
 *   items (The Verge, the scraped Anthropic feed, InfoQ 中文) whose pages the recordings do not hold.
 *   Their slots stay empty (filling them with the next stories measured 30/49 = 0.61).
 * Raised by issue 14 round 2, to 28/35 = 0.80 (must-haves on top 24/46 = 0.52): a paper takes a
 *   top slot only when its votes per hour stand out among the day's papers, a customer story, event
 *   or promotion never does, and a short dek that states a result ("97%尝试危险行为") is a line.
 * Raise a threshold when a change improves its figure; lowering one needs a reason in the commit.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  checkLabelsCollected,
  comparableUrl,
  type DayScore,
  formatScores,
  type LabelledDay,
  loadLabelledDays,
  overallScore,
  runAllLabelledDays,
  scoreDay,
} from '../../bench/editorial.js';
import type { Report } from '../../src/core/report.js';
import { feedAsOf, type ReplayRunResult } from '../support/replay-day.js';

/** The thresholds: at or a little below what the branch achieved when they were set (above). */
const THRESHOLDS = {
  /** Report top stories that an editor labelled top, over all days. */
  topPrecision: 0.8,
  /** Must-have stories the reports carry, over all days. */
  mustHaveRecall: 0.95,
  /** Must-have stories among the top stories, over all days. */
  mustHaveOnTop: 0.5,
  /** Each day has at least this many labelled stories among its top stories. */
  topHitsPerDay: 1,
  mergeRecall: 1,
  /** Hard negatives (mustNotMerge pairs) merged into one story, over all days. */
  wronglyMerged: 0,
  /** Labelled off-topic items linked anywhere in a report, over all days. */
  offTopicLeaks: 0,
};

describe('editorial benchmark: labelled days through the CLI', () => {
  let days: LabelledDay[];
  let scores: DayScore[];
  before(async () => {
    days = loadLabelledDays();
    scores = await runAllLabelledDays(days);
    // The table with each day's top stories, for whoever reads the test log.
    console.log(formatScores(scores));
  });

  it('has at least nine labelled days, the two recorded days and four Chinese days among them', () => {
    assert.ok(days.length >= 9, `${days.length} labelled days`);
    const chinese = days.filter((day) => (day.config as { language?: string } | null)?.language === 'zh');
    assert.ok(chinese.length >= 4, `${chinese.length} Chinese days`);
    const recorded = days.map((day) => day.recordedDay).filter(Boolean);
    assert.deepEqual(recorded.sort(), ['2026-04-28', '2026-08-22']);
    for (const day of days) assert.ok(day.labels.top.length >= 4, `${day.id}: labels some top stories`);
  });

  it('puts labelled stories on top', () => {
    const overall = overallScore(scores);
    assert.ok(
      overall.topPrecision >= THRESHOLDS.topPrecision,
      `top-story precision ${overall.topPrecision.toFixed(2)} < ${THRESHOLDS.topPrecision}`,
    );
    for (const score of scores) {
      assert.ok(score.topCount > 0, `${score.id}: the report has top stories`);
      assert.ok(score.topHits >= THRESHOLDS.topHitsPerDay, `${score.id}: ${score.topHits} labelled top stories on top`);
    }
  });

  it('carries the must-have stories, and puts them on top', () => {
    const overall = overallScore(scores);
    const missing = scores.flatMap((score) => score.mustHaveMissing);
    assert.ok(
      overall.mustHaveRecall >= THRESHOLDS.mustHaveRecall,
      `must-have recall ${overall.mustHaveRecall.toFixed(2)}; missing:\n${missing.join('\n')}`,
    );
    assert.ok(
      overall.mustHaveOnTop >= THRESHOLDS.mustHaveOnTop,
      `must-haves on top ${overall.mustHaveOnTop.toFixed(2)} < ${THRESHOLDS.mustHaveOnTop}`,
    );
  });

  it('merges what is one story and keeps hard negatives apart', () => {
    const overall = overallScore(scores);
    assert.ok(overall.mergeRecall !== null, 'some must-merge pair is in a report');
    assert.ok(overall.mergeRecall >= THRESHOLDS.mergeRecall, `merge recall ${overall.mergeRecall}`);
    const wronglyMerged = scores.flatMap((score) => score.mergeErrors.filter((error) => error.startsWith('wrongly')));
    assert.ok(wronglyMerged.length <= THRESHOLDS.wronglyMerged, wronglyMerged.join('\n'));
    const judged = scores.reduce((total, score) => total + score.mustNotMergeEvaluable, 0);
    assert.ok(judged >= 10, `${judged} hard negatives had both items reported`);
  });

  it('leaves labelled off-topic items out', () => {
    const overall = overallScore(scores);
    const leaks = scores.flatMap((score) => score.offTopicLeaks);
    assert.ok(overall.offTopicLeaks <= THRESHOLDS.offTopicLeaks, `off-topic leaks:\n${leaks.join('\n')}`);
  });
});

describe('editorial benchmark: scoring', () => {
  const day: LabelledDay = {
    id: 'synthetic',
    description: 'scoring check',
    recordedDay: '2026-08-22',
    config: null,
    labels: {
      top: [
        { url: 'https://a.example/one', reason: 'r' },
        { url: 'https://a.example/two/', reason: 'r' },
      ],
      mustMerge: [{ a: 'https://a.example/one', b: 'https://b.example/one?utm_source=rss', reason: 'r' }],
      mustNotMerge: [
        { a: 'https://a.example/two', b: 'https://a.example/three', reason: 'r' },
        { a: 'https://a.example/one', b: 'https://a.example/absent', reason: 'r' },
      ],
      offTopic: [{ url: 'https://c.example/off', reason: 'r' }],
    },
  };
  const story = (id: string, urls: string[]) => ({
    id,
    title: id,
    summary: [{ text: `What ${id} says.`, cites: [1] }],
    links: urls.map((url) => ({ title: id, url, sourceName: 's' })),
  });
  const report = {
    topStories: [
      { storyId: 's1', title: 's1' },
      { storyId: 's2', title: 's2' },
    ],
    sections: [
      {
        stories: [
          story('s1', ['https://a.example/one', 'https://b.example/one']),
          story('s2', ['https://a.example/two', 'https://a.example/three']),
        ],
      },
    ],
    references: [{ url: 'https://C.example/off#frag' }],
  } as unknown as Report;
  const result = (markdown = ''): ReplayRunResult => ({ report, jsonText: '', markdown, items: [], log: '' });

  it('counts top hits, merges, wrong merges and leaks from the report', () => {
    const score = scoreDay(day, result());
    assert.equal(score.topHits, 2);
    assert.equal(score.topLabelsFound, 2);
    assert.equal(score.mustMergeMerged, 1);
    assert.equal(score.mustNotMergeEvaluable, 1, 'a pair with an item missing from the report is not judged');
    assert.equal(score.mustNotMergeMerged, 1);
    assert.deepEqual(score.offTopicLeaks, ['https://c.example/off']);
    assert.equal(score.mustHaves, 2, 'without mustHave labels, the top labels are the must-haves');
    assert.equal(score.mustHaveFound, 2);
    const withMustHaves = scoreDay(
      {
        ...day,
        labels: {
          ...day.labels,
          mustHave: [
            { url: 'https://b.example/one', reason: 'r' },
            { url: 'https://a.example/absent', reason: 'r' },
          ],
        },
      },
      result(),
    );
    assert.equal(withMustHaves.mustHaveFound, 1);
    assert.equal(withMustHaves.mustHaveOnTop, 1);
    assert.deepEqual(withMustHaves.mustHaveMissing, ['https://a.example/absent']);
    assert.equal(overallScore([withMustHaves]).mustHaveRecall, 0.5);
    const overall = overallScore([score]);
    assert.equal(overall.topPrecision, 1);
    assert.equal(overall.mergePrecision, 0.5);
    assert.equal(overall.mergeRecall, 1);
  });

  it('finds a leak in the Markdown too, and compares URLs without utm parameters or a trailing slash', () => {
    assert.equal(comparableUrl('HTTPS://A.example/x/?utm_medium=rss&id=2#top'), 'https://a.example/x/?id=2');
    assert.equal(comparableUrl('https://a.example/x/'), 'https://a.example/x');
    const leakFree = { ...report, references: [] } as unknown as Report;
    const score = scoreDay(day, { ...result('see [it](https://c.example/off/)'), report: leakFree });
    assert.deepEqual(score.offTopicLeaks, ['https://c.example/off']);
  });

  it('does not judge a must-merge pair whose other item was published outside the window', () => {
    const windowed = { ...report, window: { start: '2026-08-20T02:00:00Z', end: '2026-08-22T02:00:00Z', hours: 48 } };
    const item = (url: string, publishedAt: string) => ({ url, canonicalUrl: url, title: 't', publishedAt });
    const lonely: LabelledDay = {
      ...day,
      labels: { ...day.labels, mustMerge: [{ a: 'https://a.example/two', b: 'https://d.example/old', reason: 'r' }] },
    };
    const old = item('https://d.example/old', '2026-08-14T15:00:00Z');
    const inside = item('https://a.example/two', '2026-08-21T00:00:00Z');
    const score = (items: ReplayRunResult['items']) =>
      scoreDay(lonely, { ...result(), report: windowed as unknown as Report, items });
    assert.equal(score([old, inside]).mustMergeEvaluable, 0);
    const recent = item('https://d.example/old', '2026-08-21T12:00:00Z');
    assert.equal(score([recent, inside]).mustMergeEvaluable, 1, 'both in the window: a miss');
    assert.equal(score([recent, inside]).mustMergeMerged, 0);
  });

  it('reads a later capture as of the day: entries dated after `now` are left out', () => {
    const atom =
      '<feed><entry><title>old</title><updated>2026-04-16T00:00:00+00:00</updated></entry>\n' +
      '<entry><title>later</title><updated>2026-04-24T13:03:03.805+00:00</updated></entry>\n' +
      '<entry><title>undated</title></entry></feed>';
    const asOf = feedAsOf(atom, Date.parse('2026-04-17T02:00:00Z'));
    assert.match(asOf, /old/);
    assert.match(asOf, /undated/);
    assert.doesNotMatch(asOf, /later/);
    const rss =
      '<rss><channel><item><title>x</title><pubDate>Mon, 27 Apr 2026 06:00:00 GMT</pubDate></item></channel></rss>';
    assert.doesNotMatch(feedAsOf(rss, Date.parse('2026-04-17T02:00:00Z')), /<item>/);
  });

  it('refuses a label that names no collected item', () => {
    const collected = [
      { url: 'https://a.example/one', canonicalUrl: 'https://a.example/one', title: 't', publishedAt: '' },
    ];
    assert.throws(
      () => checkLabelsCollected(day, { ...result(), items: collected }),
      /synthetic: labelled URL\(s\) that the run did not collect:[\s\S]*https:\/\/c\.example\/off/,
    );
  });
});

describe('editorial benchmark: labelled day files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-editorial-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file and the field of a bad labelled day', () => {
    const bad = {
      id: 'x',
      description: 'd',
      recordedDay: '2026-08-22',
      config: null,
      labels: { top: [{ url: 'nope' }] },
    };
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(bad));
    assert.throws(
      () => loadLabelledDays(dir),
      (error: Error) => {
        assert.match(error.message, /^bad\.json: invalid labelled day/);
        assert.match(error.message, /labels\.top\.0\.url/);
        assert.match(error.message, /labels\.mustMerge/);
        return true;
      },
    );
    writeFileSync(path.join(dir, 'bad.json'), '{"id": ');
    assert.throws(() => loadLabelledDays(dir), /^Error: bad\.json: not JSON/);
  });
});
