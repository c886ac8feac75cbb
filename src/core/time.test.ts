import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatOffset, isRealDate, isTimeZone, localDate, wallClock, zonedTimeToUtc, zoneOffsetMs } from './time.js';

describe('time zones', () => {
  it('gives the local calendar date', () => {
    assert.equal(localDate(new Date('2026-08-21T16:30:00Z'), 'Asia/Shanghai'), '2026-08-22');
    assert.equal(localDate(new Date('2026-08-21T15:30:00Z'), 'Asia/Shanghai'), '2026-08-21');
  });
  it('converts a wall-clock time to UTC across daylight saving', () => {
    assert.equal(
      new Date(zonedTimeToUtc('2026-08-22', 10, 0, 'Asia/Shanghai')).toISOString(),
      '2026-08-22T02:00:00.000Z',
    );
    assert.equal(
      new Date(zonedTimeToUtc('2026-07-01', 9, 30, 'America/New_York')).toISOString(),
      '2026-07-01T13:30:00.000Z',
    );
    assert.equal(
      new Date(zonedTimeToUtc('2026-01-15', 9, 30, 'America/New_York')).toISOString(),
      '2026-01-15T14:30:00.000Z',
    );
  });
  it('formats offsets and reads wall clocks', () => {
    assert.equal(formatOffset(zoneOffsetMs(Date.parse('2026-08-22T02:00:00Z'), 'Asia/Shanghai')), '+08:00');
    assert.equal(formatOffset(zoneOffsetMs(Date.parse('2026-01-15T12:00:00Z'), 'America/St_Johns')), '-03:30');
    assert.equal(formatOffset(0), '+00:00');
    assert.deepEqual(wallClock(Date.parse('2026-08-21T16:30:05Z'), 'Asia/Shanghai'), {
      year: 2026,
      month: 8,
      day: 22,
      hour: 0,
      minute: 30,
      second: 5,
    });
  });
  it('knows real zones and real dates', () => {
    assert.equal(isTimeZone('Europe/Berlin'), true);
    assert.equal(isTimeZone('Mars/Base'), false);
    assert.equal(isRealDate('2028-02-29'), true);
    assert.equal(isRealDate('2026-02-29'), false);
    assert.equal(isRealDate('2026-13-01'), false);
  });
});
