import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextAttemptDelay, parseRetryAfter } from './next-attempt-delay.js';

const MIN = 60_000;

describe('nextAttemptDelay()', () => {
  const cases: Array<[attempts: number, retryAfterMs: number | null, expectedMs: number]> = [
    [1, null, MIN],
    [2, null, 2 * MIN],
    [3, null, 4 * MIN],
    [6, null, 32 * MIN],
    [7, null, 60 * MIN],
    [50, null, 60 * MIN],
    [1, 5 * MIN, 5 * MIN],
    [3, 1000, 4 * MIN],
  ];
  for (const [attempts, retryAfterMs, expectedMs] of cases) {
    it(`waits ${expectedMs / MIN} min after attempt ${attempts} with Retry-After ${retryAfterMs}`, () => {
      assert.equal(nextAttemptDelay(attempts, retryAfterMs), expectedMs);
    });
  }
});

describe('parseRetryAfter()', () => {
  const now = Date.parse('2026-11-22T06:00:00Z');
  const cases: Array<[header: string | null, expected: number | null]> = [
    [null, null],
    ['', null],
    ['120', 120_000],
    ['Sun, 22 Nov 2026 06:01:30 GMT', 90_000],
    ['Sun, 22 Nov 2026 05:00:00 GMT', 0],
    ['soon', null],
  ];
  for (const [header, expected] of cases) {
    it(`reads ${JSON.stringify(header)} as ${expected} ms`, () => {
      assert.equal(parseRetryAfter(header, now), expected);
    });
  }
});
