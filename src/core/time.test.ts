import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatOffset,
  isCanonicalIso,
  isRealDate,
  isTimeZone,
  localDate,
  timeMs,
  wallClock,
  zonedTimeToUtc,
  zoneOffsetMs,
} from './time.js';

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

describe('isCanonicalIso', () => {
  it('is true exactly where toISOString writes the same text again', () => {
    const again = (text: string) => {
      const ms = Date.parse(text);
      return !Number.isNaN(ms) && new Date(ms).toISOString() === text;
    };
    const texts = [
      '2026-08-21T10:00:00.000Z',
      '2026-08-21T10:00:00Z',
      '2026-08-21T10:00:00.000+08:00',
      '2026-08-21 10:00:00.000Z',
      '2026-08-21T10:00:00.000z',
      '+002026-08-21T10:00:00.000Z',
      '0000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
      '2026-08-21T1a:00:00.000Z',
      '2026-08-21T10:00:00.0-0Z',
      'Fri, 21 Aug 2026 10:00:00 GMT',
    ];
    for (const year of ['1900', '2000', '2023', '2024', '2100']) {
      for (let month = 0; month <= 13; month++) {
        for (let day = 0; day <= 32; day++) {
          const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          texts.push(`${date}T00:00:00.000Z`);
        }
      }
    }
    for (const time of ['23:59:59.999', '24:00:00.000', '23:60:00.000', '23:00:60.000', '00:00:00.001']) {
      texts.push(`2024-02-29T${time}Z`, `2023-02-28T${time}Z`);
    }
    for (const text of texts) assert.equal(isCanonicalIso(text), again(text), text);
  });
});

describe('timeMs', () => {
  it('is Date.parse, read without the parser for times written as toISOString writes them', () => {
    const texts = [
      '2026-08-21T10:00:00.000Z',
      '2026-08-21T10:00:00Z',
      '2026-08-21T10:00:00.000+08:00',
      'Fri, 21 Aug 2026 10:00:00 GMT',
      '0050-01-01T00:00:00.000Z',
      '0999-12-31T23:59:59.999Z',
      '1000-01-01T00:00:00.000Z',
      '1970-01-01T00:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59.999Z',
      '2024-02-29T12:34:56.789Z',
      '2023-02-29T12:34:56.789Z',
      '2026-04-31T00:00:00.000Z',
      '2026-08-21T24:00:00.000Z',
      'not a date',
      '',
    ];
    let seed = 7;
    for (let k = 0; k < 2000; k++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      texts.push(new Date(Date.UTC(1000, 0, 1) + (seed / 2_147_483_648) * 9e12 * 30).toISOString());
    }
    for (const text of texts) assert.ok(Object.is(timeMs(text), Date.parse(text)), text);
  });
});
