import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localMinute, localParts, reportTimestamp, utcMinute } from './time.js';

describe('time formatting', () => {
  it('gives local date, time and offset of an instant', () => {
    assert.deepEqual(localParts('2026-08-22T02:00:00Z', 'Asia/Shanghai'), {
      date: '2026-08-22',
      time: '10:00:00',
      offset: '+08:00',
    });
    assert.equal(localParts('2026-01-15T12:00:00Z', 'America/New_York').offset, '-05:00');
    assert.equal(localParts('2026-07-15T12:00:00Z', 'America/New_York').offset, '-04:00');
    assert.equal(localParts('2026-07-15T12:00:00Z', 'UTC').offset, '+00:00');
  });

  it('stamps the report with the run time, or local midnight when the run is on another day', () => {
    assert.equal(reportTimestamp('2026-08-22', '2026-08-22T02:00:00Z', 'Asia/Shanghai'), '2026-08-22T10:00:00+08:00');
    assert.equal(reportTimestamp('2026-08-20', '2026-08-22T02:00:00Z', 'Asia/Shanghai'), '2026-08-20T00:00:00+08:00');
    assert.equal(
      reportTimestamp('2026-03-08', '2026-03-08T15:00:00Z', 'America/New_York'),
      '2026-03-08T11:00:00-04:00',
    );
  });

  it('formats minutes in UTC and in a zone', () => {
    assert.equal(utcMinute('2026-08-21T07:00:59.999Z'), '2026-08-21 07:00 UTC');
    assert.equal(localMinute('2026-08-21T17:30:00Z', 'Asia/Shanghai'), '2026-08-22 01:30');
  });
});
