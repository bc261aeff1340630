import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MINUTE_MS, SECOND_MS } from '../platform/time.js';
import type { XApiFailureKind } from '../xapi/index.js';
import { MAX_ATTEMPTS, RESET_MARGIN_MS, retryDecision, waitAfterSuccess } from './retry-policy.js';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const delays = (kind: XApiFailureKind, attempts: number) =>
  Array.from({ length: attempts }, (_, attempt) => {
    const decision = retryDecision({ kind, rateLimit: null }, attempt, NOW);
    return decision.action === 'retry' ? decision.delayMs : 'stop';
  });

describe('retryDecision()', () => {
  it('backs off 5xx and network errors from 5 s, doubling to 320 s, and stops after MAX_ATTEMPTS', () => {
    const expected = [5, 10, 20, 40, 80, 160, 320, 320].map((s) => s * SECOND_MS);
    assert.equal(expected.length, MAX_ATTEMPTS);
    assert.deepEqual(delays('server', MAX_ATTEMPTS + 1), [...expected, 'stop']);
    assert.deepEqual(delays('network', MAX_ATTEMPTS + 1), [...expected, 'stop']);
  });

  it('waits for the reset of a spent window, plus a margin, however often it happens', () => {
    const rateLimit = { limit: 300, remaining: 0, resetMs: NOW + 42 * SECOND_MS };
    for (const attempt of [0, 5, 50]) {
      assert.deepEqual(retryDecision({ kind: 'rate-limit', rateLimit }, attempt, NOW), {
        action: 'retry',
        delayMs: 42 * SECOND_MS + RESET_MARGIN_MS,
        rateLimited: true,
      });
    }
  });

  it('backs a 429 without a usable reset off from 1 min, doubling to 15 min', () => {
    assert.deepEqual(delays('rate-limit', 6), [1, 2, 4, 8, 15, 15].map((m) => m * MINUTE_MS));
    const past = { limit: 1, remaining: 0, resetMs: NOW - 1 };
    assert.deepEqual(retryDecision({ kind: 'rate-limit', rateLimit: past }, 0, NOW), { action: 'retry', delayMs: MINUTE_MS, rateLimited: true });
  });

  it('stops at once for 401, 403, 400, a bad token file and anything else', () => {
    for (const kind of ['unauthorized', 'forbidden', 'invalid-request', 'token-file', 'other'] as const) {
      assert.deepEqual(delays(kind, 1), ['stop'], kind);
    }
  });
});

describe('waitAfterSuccess()', () => {
  const cases: Array<[string, { limit: number; remaining: number; resetMs: number } | null, number]> = [
    ['no headers', null, 0],
    ['requests left', { limit: 300, remaining: 1, resetMs: NOW + 60_000 }, 0],
    ['window spent', { limit: 300, remaining: 0, resetMs: NOW + 60_000 }, 60_000 + RESET_MARGIN_MS],
    ['window spent but already reset', { limit: 300, remaining: 0, resetMs: NOW }, 0],
  ];
  for (const [name, rateLimit, expected] of cases) {
    it(name, () => assert.equal(waitAfterSuccess(rateLimit, NOW), expected));
  }
});
