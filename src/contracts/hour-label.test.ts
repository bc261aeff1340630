import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareHourLabels, hourKey, hourLabel, hoursOfLabelDay, parseHourKey } from './hour-label.js';

const utc = (iso: string): number => Date.parse(iso);

describe('hourLabel()', () => {
  const cases: Array<[zone: string, utcHour: string, label: string]> = [
    ['UTC', '2026-11-22T06:00Z', '2026-11-22_06'],
    ['UTC', '2026-11-22T23:00Z', '2026-11-22_23'],
    ['Asia/Tokyo', '2026-11-22T14:00Z', '2026-11-22_23'],
    ['Asia/Tokyo', '2026-11-22T15:00Z', '2026-11-23_00'],
    ['America/New_York', '2026-11-22T03:00Z', '2026-11-21_22'],
    // Berlin spring: 01:00 UTC is 03:00 CEST; 02 is skipped.
    ['Europe/Berlin', '2026-03-29T00:00Z', '2026-03-29_01'],
    ['Europe/Berlin', '2026-03-29T01:00Z', '2026-03-29_03'],
    // Berlin autumn: 00:00 UTC is 02:00 CEST, 01:00 UTC is 02:00 CET again.
    ['Europe/Berlin', '2026-10-24T23:00Z', '2026-10-25_01'],
    ['Europe/Berlin', '2026-10-25T00:00Z', '2026-10-25_02'],
    ['Europe/Berlin', '2026-10-25T01:00Z', '2026-10-25_02b'],
    ['Europe/Berlin', '2026-10-25T02:00Z', '2026-10-25_03'],
    // New York autumn: 01 repeats.
    ['America/New_York', '2026-11-01T05:00Z', '2026-11-01_01'],
    ['America/New_York', '2026-11-01T06:00Z', '2026-11-01_01b'],
  ];
  for (const [zone, utcHour, expected] of cases) {
    it(`${utcHour} in ${zone} is ${expected}`, () => {
      const label = hourLabel(utc(utcHour), zone);
      assert.equal(label.label, expected);
      assert.equal(label.label, `${label.date}_${label.hour}`);
    });
  }

  it('labels any instant by the hour holding it', () => {
    assert.deepEqual(hourLabel(utc('2026-10-25T01:59:59.999Z'), 'Europe/Berlin'), hourLabel(utc('2026-10-25T01:00Z'), 'Europe/Berlin'));
  });

  it('refuses a half-hour zone with the fix', () => {
    assert.throws(() => hourLabel(utc('2026-11-22T06:00Z'), 'Asia/Kolkata'), { name: 'RangeError', message: /whole-hour zone/ });
  });
});

describe('hoursOfLabelDay()', () => {
  const hoursOf = (date: string, zone: string): string[] => hoursOfLabelDay(date, zone).map((h) => h.label.hour);
  const all = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));

  const cases: Array<[name: string, date: string, zone: string, expected: string[]]> = [
    ['UTC day', '2026-11-22', 'UTC', all],
    ['Berlin spring day has 23 hours and no 02', '2026-03-29', 'Europe/Berlin', all.filter((h) => h !== '02')],
    ['Berlin autumn day has 25 hours with 02 and 02b', '2026-10-25', 'Europe/Berlin', [...all.slice(0, 3), '02b', ...all.slice(3)]],
    ['Berlin ordinary day', '2026-10-26', 'Europe/Berlin', all],
    ['Tokyo day', '2026-12-31', 'Asia/Tokyo', all],
  ];
  for (const [name, date, zone, expected] of cases) {
    it(name, () => {
      const hours = hoursOf(date, zone);
      assert.deepEqual(hours, expected);
      assert.deepEqual([...hours].sort(compareHourLabels), hours);
    });
  }

  it('gives consecutive UTC hours whose labels fall on the date', () => {
    const hours = hoursOfLabelDay('2026-10-25', 'Europe/Berlin');
    assert.equal(hours[0]!.utcHourStartMs, utc('2026-10-24T22:00Z'));
    assert.equal(hours.at(-1)!.utcHourStartMs, utc('2026-10-25T22:00Z'));
    hours.forEach((h, i) => {
      assert.equal(h.utcHourStartMs, hours[0]!.utcHourStartMs + i * 3_600_000);
      assert.equal(h.label.date, '2026-10-25');
    });
    assert.equal(hoursOfLabelDay('2026-11-23', 'Asia/Tokyo')[0]!.utcHourStartMs, utc('2026-11-22T15:00Z'));
  });

  for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Santiago', 'Asia/Tokyo']) {
    it(`labels every UTC hour of 2026 exactly once in ${zone}, 23 to 25 per day, in order`, () => {
      const seen = new Set<number>();
      for (let day = Date.UTC(2026, 0, 1); day < Date.UTC(2027, 0, 1); day += 86_400_000) {
        const date = new Date(day).toISOString().slice(0, 10);
        const hours = hoursOfLabelDay(date, zone);
        assert.ok(hours.length >= 23 && hours.length <= 25, `${date} has ${hours.length} hours`);
        const labels = hours.map((h) => h.label.label);
        assert.equal(new Set(labels).size, labels.length);
        assert.deepEqual([...labels].sort(compareHourLabels), labels);
        for (const h of hours) seen.add(h.utcHourStartMs);
      }
      const first = hoursOfLabelDay('2026-01-01', zone)[0]!.utcHourStartMs;
      const last = hoursOfLabelDay('2026-12-31', zone).at(-1)!.utcHourStartMs;
      assert.equal(seen.size, (last - first) / 3_600_000 + 1);
    });
  }

  for (const date of ['2026-02-30', '2026-1-01', 'yesterday']) {
    it(`refuses ${JSON.stringify(date)} with the fix`, () => {
      assert.throws(() => hoursOfLabelDay(date, 'UTC'), { name: 'RangeError', message: /pass a real date as YYYY-MM-DD/ });
    });
  }
});

describe('hourKey() and parseHourKey()', () => {
  const cases: Array<[iso: string, key: string]> = [
    ['2026-11-22T06:00:00.000Z', '2026-11-22T06'],
    ['2026-11-22T06:59:59.999Z', '2026-11-22T06'],
    ['2026-12-31T23:00:00.000Z', '2026-12-31T23'],
  ];
  for (const [iso, key] of cases) {
    it(`${iso} has key ${key} and back`, () => {
      assert.equal(hourKey(utc(iso)), key);
      assert.equal(parseHourKey(key), Math.floor(utc(iso) / 3_600_000) * 3_600_000);
    });
  }

  for (const bad of ['2026-11-22T24', '2026-11-22', '2026-11-22T6', '2026-02-30T01', '2026-11-22T06:00', ' 2026-11-22T06']) {
    it(`parseHourKey() refuses ${JSON.stringify(bad)} with the fix`, () => {
      assert.throws(() => parseHourKey(bad), { name: 'RangeError', message: /write a UTC hour as YYYY-MM-DDTHH/ });
    });
  }
});
