import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pad2, wallClock } from './wall-clock.js';

describe('wallClock()', () => {
  const cases: Array<[zone: string, iso: string, date: string, hour: number, minute: number, offsetH: number]> = [
    ['UTC', '2026-11-22T06:27:59.999Z', '2026-11-22', 6, 27, 0],
    ['Europe/Berlin', '2026-01-15T23:30:00Z', '2026-01-16', 0, 30, 1],
    ['Europe/Berlin', '2026-07-01T12:00:00Z', '2026-07-01', 14, 0, 2],
    ['Asia/Tokyo', '2026-12-31T15:00:00Z', '2027-01-01', 0, 0, 9],
    ['America/New_York', '2026-03-08T07:00:00Z', '2026-03-08', 3, 0, -4],
    ['Pacific/Kiritimati', '2026-06-01T10:00:00Z', '2026-06-02', 0, 0, 14],
  ];
  for (const [zone, iso, date, hour, minute, offsetH] of cases) {
    it(`${iso} in ${zone}`, () => {
      assert.deepEqual(wallClock(Date.parse(iso), zone), { date, hour, minute, offsetMs: offsetH * 3_600_000 });
    });
  }

  it('refuses a zone with a half-hour offset with the fix', () => {
    assert.throws(() => wallClock(Date.UTC(2026, 0, 1), 'Asia/Kolkata'), {
      name: 'RangeError',
      message: /"Asia\/Kolkata": its UTC offset .* is not a whole hour; set hourly.output_timezone/,
    });
  });

  it('refuses an unknown zone with the fix', () => {
    assert.throws(() => wallClock(0, 'Mars/Olympus'), {
      name: 'RangeError',
      message: /"Mars\/Olympus": it is not an IANA zone; set hourly.output_timezone/,
    });
  });
});

describe('pad2()', () => {
  it('pads to two digits', () => assert.deepEqual([0, 7, 10, 23].map(pad2), ['00', '07', '10', '23']));
});
