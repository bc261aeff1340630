import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReconnectPolicy, attemptBudgetWait, nextDelay } from './backoff.js';
import type { FailureClass } from './classify.js';

const S = 1000;
const MIN = 60 * S;
const noReset = { nowMs: 0, resetAtMs: null };

const table: Array<[FailureClass, number[]]> = [
  // attempt 1, 2, 3, ... -> ms
  ['drop', [0, 250, 500, 750]],
  ['stall', [0, 250, 500]],
  ['operational-disconnect', [0, 250, 500]],
  ['network', [250, 500, 750, 1000, 1250]],
  ['http-5xx', [5 * S, 10 * S, 20 * S, 40 * S, 80 * S, 160 * S, 320 * S, 320 * S]],
  ['rate-limit', [1 * MIN, 2 * MIN, 4 * MIN, 8 * MIN, 15 * MIN, 15 * MIN]],
  ['too-many-connections', [1 * MIN, 2 * MIN, 4 * MIN, 8 * MIN, 15 * MIN]],
  ['usage-cap', [15 * MIN, 15 * MIN, 15 * MIN]],
  ['config', [15 * MIN, 15 * MIN, 15 * MIN]],
];

for (const [cls, delays] of table) {
  test(`nextDelay() schedules ${cls} as ${delays.join(', ')} ms`, () => {
    assert.deepEqual(
      delays.map((_, i) => nextDelay(cls, i + 1, noReset)),
      delays,
    );
  });
}

test('nextDelay() caps network errors at 16 s (attempt 64 and beyond)', () => {
  assert.equal(nextDelay('network', 64, noReset), 16 * S);
  assert.equal(nextDelay('network', 1000, noReset), 16 * S);
  assert.equal(nextDelay('drop', 1000, noReset), 16 * S);
  assert.equal(nextDelay('http-5xx', 2000, noReset), 320 * S);
  assert.equal(nextDelay('rate-limit', 2000, noReset), 15 * MIN);
});

test('nextDelay() waits for a 429 at least until x-rate-limit-reset, plus a second', () => {
  const nowMs = Date.parse('2026-11-22T06:00:00Z');
  assert.equal(nextDelay('rate-limit', 1, { nowMs, resetAtMs: nowMs + 10 * MIN }), 10 * MIN + S);
  assert.equal(nextDelay('rate-limit', 1, { nowMs, resetAtMs: nowMs + 10 * S }), 1 * MIN);
  assert.equal(nextDelay('rate-limit', 4, { nowMs, resetAtMs: nowMs + 10 * MIN }), 10 * MIN + S);
  assert.equal(nextDelay('rate-limit', 5, { nowMs, resetAtMs: nowMs + 10 * MIN }), 15 * MIN);
  assert.equal(nextDelay('rate-limit', 1, { nowMs, resetAtMs: nowMs - MIN }), 1 * MIN);
});

test('attemptBudgetWait() allows 45 attempts in any 15 minutes', () => {
  const times = Array.from({ length: 44 }, (_, i) => i * S);
  assert.equal(attemptBudgetWait(times, 44 * S), 0);
  times.push(44 * S);
  // The 46th attempt waits until the first leaves the 15-minute window.
  assert.equal(attemptBudgetWait(times, 45 * S), 15 * MIN - 45 * S);
  assert.equal(attemptBudgetWait(times, 15 * MIN), 0);
  assert.equal(attemptBudgetWait(times, 15 * MIN + 1), 0);
});

test('ReconnectPolicy keeps never more than 45 attempts in any 15 minutes', () => {
  const policy = new ReconnectPolicy();
  let nowMs = 0;
  const attempts: number[] = [];
  while (nowMs < 60 * MIN) {
    nowMs += policy.budgetWait(nowMs);
    policy.recordAttempt(nowMs);
    attempts.push(nowMs);
    nowMs += 100;
  }
  for (const t of attempts) {
    assert.ok(attempts.filter((u) => u >= t && u < t + 15 * MIN).length <= 45);
  }
  assert.ok(attempts.length >= 45 * 4 - 1);
});

test('ReconnectPolicy reconnects at once after a drop of a connection that lived 30 s', () => {
  const policy = new ReconnectPolicy();
  const ctx = (nowMs: number, connectedAtMs: number | null) => ({ nowMs, resetAtMs: null, connectedAtMs });
  assert.equal(policy.onFailure('drop', ctx(10 * S, 0)), 0);
  // A short-lived connection dropping again backs off.
  assert.equal(policy.onFailure('drop', ctx(15 * S, 12 * S)), 250);
  assert.equal(policy.onFailure('drop', ctx(20 * S, 16 * S)), 500);
  // One that lived 30 s reconnects at once again.
  assert.equal(policy.onFailure('drop', ctx(60 * S, 25 * S)), 0);
});

test('ReconnectPolicy keeps per-class counters and resets all after a 5-minute connection', () => {
  const policy = new ReconnectPolicy();
  const failed = (cls: FailureClass, nowMs: number) => policy.onFailure(cls, { nowMs, resetAtMs: null, connectedAtMs: null });
  assert.equal(failed('http-5xx', 0), 5 * S);
  assert.equal(failed('http-5xx', 5 * S), 10 * S);
  assert.equal(failed('network', 15 * S), 250);
  assert.equal(failed('http-5xx', 16 * S), 20 * S);
  // A connection of 1 minute keeps the 5xx counter.
  assert.equal(policy.onFailure('drop', { nowMs: 2 * MIN, resetAtMs: null, connectedAtMs: 1 * MIN }), 0);
  assert.equal(failed('http-5xx', 2 * MIN), 40 * S);
  // A connection of 5 minutes resets every counter.
  assert.equal(policy.onFailure('drop', { nowMs: 10 * MIN, resetAtMs: null, connectedAtMs: 5 * MIN }), 0);
  assert.equal(policy.failures('http-5xx'), 0);
  assert.equal(failed('http-5xx', 10 * MIN), 5 * S);
  assert.equal(failed('network', 10 * MIN), 250);
});
