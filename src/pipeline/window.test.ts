import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  inWindow,
  isDayPrecision,
  localDate,
  reportWindow,
  splitByWindow,
  windowQueryRange,
  zonedTimeToUtc,
} from './window.js';

describe('reportWindow', () => {
  it('uses the calendar date of now in the time zone and ends at now', () => {
    const now = new Date('2026-08-20T18:30:00Z'); // 02:30 on the 21st in Shanghai
    const window = reportWindow(now, 'Asia/Shanghai', 24);
    assert.equal(window.date, '2026-08-21');
    assert.equal(window.end, '2026-08-20T18:30:00.000Z');
    assert.equal(window.start, '2026-08-19T18:30:00.000Z');
    assert.equal(reportWindow(now, 'UTC', 24).date, '2026-08-20');
    assert.equal(reportWindow(now, 'America/Los_Angeles', 24).date, '2026-08-20');
  });

  it('ends a past explicit date at 10:00 local time', () => {
    const window = reportWindow(new Date('2026-08-25T12:00:00Z'), 'Asia/Shanghai', 36, '2026-08-21');
    assert.equal(window.date, '2026-08-21');
    assert.equal(window.end, '2026-08-21T02:00:00.000Z');
    assert.equal(window.start, '2026-08-19T14:00:00.000Z');
  });

  it('treats an explicit date equal to today like no date', () => {
    const now = new Date('2026-08-21T09:00:00Z');
    assert.deepEqual(reportWindow(now, 'Asia/Shanghai', 24, '2026-08-21'), reportWindow(now, 'Asia/Shanghai', 24));
  });

  it('rejects future dates, impossible dates, bad zones and bad lengths', () => {
    const now = new Date('2026-08-21T09:00:00Z');
    assert.throws(() => reportWindow(now, 'UTC', 24, '2026-08-22'), RangeError);
    assert.throws(() => reportWindow(now, 'UTC', 24, '2026-02-30'), RangeError);
    assert.throws(() => reportWindow(now, 'UTC', 24, '21/08/2026'), RangeError);
    assert.throws(() => reportWindow(now, 'Mars/Olympus', 24), RangeError);
    assert.throws(() => reportWindow(now, 'UTC', 0), RangeError);
  });

  it('handles daylight saving time', () => {
    // New York: 10:00 EDT (UTC-4) in summer, 10:00 EST (UTC-5) in winter.
    assert.equal(
      new Date(zonedTimeToUtc('2026-07-01', 10, 0, 'America/New_York')).toISOString(),
      '2026-07-01T14:00:00.000Z',
    );
    assert.equal(
      new Date(zonedTimeToUtc('2026-01-15', 10, 0, 'America/New_York')).toISOString(),
      '2026-01-15T15:00:00.000Z',
    );
    // The day clocks go forward (2026-03-08 in the US).
    assert.equal(
      new Date(zonedTimeToUtc('2026-03-08', 10, 0, 'America/New_York')).toISOString(),
      '2026-03-08T14:00:00.000Z',
    );
    assert.equal(localDate(new Date('2026-03-08T04:59:00Z'), 'America/New_York'), '2026-03-07');
  });
});

describe('inWindow and splitByWindow', () => {
  const window = reportWindow(new Date('2026-08-21T02:00:00Z'), 'Asia/Shanghai', 24);

  it('includes the end, excludes the start and unparsable dates', () => {
    assert.equal(inWindow({ publishedAt: '2026-08-21T02:00:00.000Z' }, window), true);
    assert.equal(inWindow({ publishedAt: '2026-08-20T02:00:00.000Z' }, window), false);
    assert.equal(inWindow({ publishedAt: '2026-08-20T02:00:00.001Z' }, window), true);
    assert.equal(inWindow({ publishedAt: '2026-08-21T02:00:00.001Z' }, window), false);
    assert.equal(inWindow({ publishedAt: 'yesterday' }, window), false);
  });

  it('splits items in order and loses none', () => {
    const items = [
      { id: 'a', publishedAt: '2026-08-20T12:00:00Z' },
      { id: 'b', publishedAt: '2026-08-19T12:00:00Z' },
      { id: 'c', publishedAt: '2026-08-21T01:00:00+08:00' },
      { id: 'd', publishedAt: 'garbage' },
    ];
    const { inside, outside } = splitByWindow(items, window);
    assert.deepEqual(
      inside.map((item) => item.id),
      ['a', 'c'],
    );
    assert.deepEqual(
      outside.map((item) => item.id),
      ['b', 'd'],
    );
  });
});

describe('dates without a time of day', () => {
  const window = { start: '2026-08-20T02:00:00.000Z', end: '2026-08-22T02:00:00.000Z' };
  it('count for their whole UTC day when it overlaps the window', () => {
    assert.equal(isDayPrecision('2026-08-20T00:00:00.000Z'), true);
    assert.equal(isDayPrecision('2026-08-20T00:00:01.000Z'), false);
    assert.equal(inWindow({ publishedAt: '2026-08-20T00:00:00.000Z' }, window), true, 'the day the window starts');
    assert.equal(inWindow({ publishedAt: '2026-08-22T00:00:00.000Z' }, window), true, 'the day the window ends');
    assert.equal(inWindow({ publishedAt: '2026-08-19T00:00:00.000Z' }, window), false, 'the day before');
    assert.equal(inWindow({ publishedAt: '2026-08-23T00:00:00.000Z' }, window), false, 'the day after');
  });
  it('leave timed instants to the exact (start, end] rule', () => {
    assert.equal(inWindow({ publishedAt: '2026-08-20T01:59:00.000Z' }, window), false);
    assert.equal(inWindow({ publishedAt: '2026-08-20T02:00:00.000Z' }, window), false);
    assert.equal(inWindow({ publishedAt: '2026-08-22T02:00:00.000Z' }, window), true);
  });
  it('are covered by the store query range', () => {
    const range = windowQueryRange(window);
    assert.ok(range.from <= '2026-08-20T00:00:00.000Z');
    assert.ok(range.to > window.end);
  });
});
