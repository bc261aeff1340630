import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isHourReady, readyHours, referenceTime, type ReadinessInput, type ServerProgress } from './readiness.js';

const t = (hhmm: string) => Date.parse(`2026-11-22T${hhmm}Z`);
const H10 = t('10:00:00');
const progress = (watermark: string | null, advancedAt: string | null = null): ServerProgress => ({
  watermarkMs: watermark === null ? null : t(watermark),
  advancedAtMs: advancedAt === null ? null : t(advancedAt),
});

function input(ref: string, servers: ServerProgress[], downtimeEnd: string | null = null): ReadinessInput {
  return {
    refMs: t(ref),
    nowMs: t(ref),
    latenessMs: 5 * 60_000,
    maxWaitMs: 30 * 60_000,
    downtimeEndMs: downtimeEnd === null ? null : t(downtimeEnd),
    servers,
  };
}

describe('isHourReady() (DESIGN 3.4), hour 10:00, lateness 5 min, max wait 30 min', () => {
  const cases: Array<{ name: string; input: ReadinessInput; ready: boolean }> = [
    { name: 'both watermarks past 11:05', input: input('11:05:00', [progress('11:05:00'), progress('11:06:00')]), ready: true },
    { name: 'a watermark 1 ms short of 11:05, before the deadline', input: input('11:29:59', [progress('11:05:00'), progress('11:04:59.999')]), ready: false },
    { name: 'server 2 late, deadline 11:30 reached, not advancing', input: input('11:30:00', [progress('11:31:00'), progress('11:04:00')]), ready: true },
    { name: 'server 2 late and advanced 2 min ago: held', input: input('11:30:00', [progress('11:31:00'), progress('11:04:00', '11:28:00')]), ready: false },
    { name: 'server 2 late, last advanced 6 min ago', input: input('11:30:00', [progress('11:31:00'), progress('11:04:00', '11:24:00')]), ready: true },
    { name: 'server 2 without any state, before the deadline', input: input('11:29:00', [progress('11:31:00'), progress(null)]), ready: false },
    { name: 'server 2 without any state, at the deadline', input: input('11:30:00', [progress('11:31:00'), progress(null)]), ready: true },
    { name: 'deadline counts from the end of server 1 downtime (12:00)', input: input('11:45:00', [progress('11:50:00'), progress('11:00:00')], '12:00:00'), ready: false },
    { name: 'downtime-based deadline 12:30 reached', input: input('12:30:00', [progress('12:31:00'), progress('11:00:00')], '12:00:00'), ready: true },
    { name: 'a downtime that ended before 11:00 changes nothing', input: input('11:30:00', [progress('11:31:00'), progress('11:00:00')], '10:20:00'), ready: true },
    { name: 'single server (expect_server2 false)', input: input('11:05:00', [progress('11:05:00')]), ready: true },
    { name: 'single server, late, before the deadline', input: input('11:20:00', [progress('11:03:00')]), ready: false },
  ];
  for (const { name, input: given, ready } of cases) {
    it(`isHourReady() ${ready ? 'is ready' : 'waits'}: ${name}`, () => assert.equal(isHourReady(H10, given), ready));
  }
});

describe('referenceTime()', () => {
  const cases: Array<[string, string | null, string, string]> = [
    ['no watermark: the clock', null, '11:00:00', '11:00:00'],
    ['fresh watermark (4 min behind): the watermark', '10:56:00', '11:00:00', '10:56:00'],
    ['stale watermark (6 min behind): the clock', '10:54:00', '11:00:00', '11:00:00'],
    ['watermark ahead of the clock: the clock', '11:01:00', '11:00:00', '11:00:00'],
  ];
  for (const [name, watermark, now, expected] of cases) {
    it(`referenceTime() takes ${name}`, () => assert.equal(referenceTime(watermark === null ? null : t(watermark), t(now)), t(expected)));
  }
});

describe('readyHours()', () => {
  const readiness = input('12:10:00', [progress('12:06:00'), progress('12:06:00')]);

  it('readyHours() lists ready data hours and every unpublished hour from S to the newest ready hour, oldest first', () => {
    const hours = readyHours({
      firstHourMs: t('08:00:00'),
      unpublishedDataHours: [t('09:00:00'), t('11:00:00'), t('12:00:00'), t('01:00:00')],
      published: new Set([t('08:00:00')]),
      readiness,
    });
    assert.deepEqual(hours.map((h) => new Date(h).toISOString().slice(11, 13)), ['01', '09', '10', '11']);
  });

  it('readyHours() without S publishes only ready data hours', () => {
    const hours = readyHours({ firstHourMs: null, unpublishedDataHours: [t('11:00:00'), t('12:00:00')], published: new Set(), readiness });
    assert.deepEqual(hours, [t('11:00:00')]);
  });

  it('readyHours() publishes nothing new when the newest ready hour is before S', () => {
    assert.deepEqual(readyHours({ firstHourMs: t('12:00:00'), unpublishedDataHours: [], published: new Set(), readiness }), []);
  });
});
