import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createdAtOutsideWindow, MAX_CREATED_AHEAD_MS } from './created-at-window.js';

describe('createdAtOutsideWindow()', () => {
  const receipt = Date.parse('2026-11-22T10:30:00Z');
  const HOUR = 3_600_000;
  const cases: Array<[string, string | number, RegExp | null]> = [
    ['a second before receipt', receipt - 1000, null],
    ['exactly 48 h before', receipt - 48 * HOUR, null],
    ['just past 48 h before', receipt - 48 * HOUR - 1, /48\.0 h before its receipt \(hourly\.max_created_skew_h 48\)/],
    ['2010', '2010-06-01T00:00:00.000Z', /created_at 2010-06-01T00:00:00\.000Z is \d+\.\d h before/],
    ['1970', '1970-01-01T00:00:00.000Z', /1970-01-01T00:00:00\.000Z is .* before/],
    ['a few minutes ahead (clock differences)', receipt + 3 * 60_000, null],
    ['exactly the allowance ahead', receipt + MAX_CREATED_AHEAD_MS, null],
    ['just past the allowance ahead', receipt + MAX_CREATED_AHEAD_MS + 1, /after its receipt \(at most 10 min allowed\)/],
    ['the next day', receipt + 24 * HOUR, /24\.0 h after/],
    ['2099', '2099-01-01T00:00:00.000Z', /2099-01-01T00:00:00\.000Z is .* after/],
    ['+275760-09-13, the last date JS knows', '+275760-09-13T00:00:00.000Z', /\+275760-09-13T00:00:00\.000Z is .* after/],
  ];
  for (const [name, createdAt, reason] of cases) {
    it(name, () => {
      const createdAtMs = typeof createdAt === 'number' ? createdAt : Date.parse(createdAt);
      const verdict = createdAtOutsideWindow(createdAtMs, receipt, 48);
      if (reason === null) assert.equal(verdict, null);
      else assert.match(verdict ?? 'routed', reason);
    });
  }

  it('takes the configured window', () => {
    assert.equal(createdAtOutsideWindow(receipt - 100 * HOUR, receipt, 168), null);
    assert.notEqual(createdAtOutsideWindow(receipt - 2 * HOUR, receipt, 1), null);
  });
});
