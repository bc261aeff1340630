import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStalled, watchForStall } from './watchdog.js';
import { FakeClock } from '../../test/helpers/fake-clock.js';

const cases: Array<[number, number, number, boolean]> = [
  // lastByteAtMs, nowMs, stallTimeoutMs, stalled
  [0, 29_999, 30_000, false],
  [0, 30_000, 30_000, true],
  [10_000, 39_999, 30_000, false],
  [10_000, 45_000, 30_000, true],
  [5_000, 0, 30_000, false],
];

for (const [last, now, timeout, expected] of cases) {
  test(`isStalled(${last}, ${now}, ${timeout}) is ${expected}`, () => {
    assert.equal(isStalled(last, now, timeout), expected);
  });
}

test('watchForStall() fires once the stream is silent for the timeout, not before', async () => {
  const clock = new FakeClock('2026-11-22T06:00:00Z');
  let lastByteAtMs = clock.now();
  let stalls = 0;
  const controller = new AbortController();
  const watching = watchForStall({
    clock,
    stallTimeoutMs: 30_000,
    lastByteAtMs: () => lastByteAtMs,
    onStall: () => stalls++,
    signal: controller.signal,
  });
  for (let i = 0; i < 10; i++) {
    await clock.advance(20_000);
    lastByteAtMs = clock.now();
  }
  assert.equal(stalls, 0);
  await clock.advance(29_000);
  assert.equal(stalls, 0);
  await clock.advance(1_000);
  assert.equal(stalls, 1);
  await watching;
  await clock.advance(60_000);
  assert.equal(stalls, 1);
});

test('watchForStall() returns when its signal aborts', async () => {
  const clock = new FakeClock('2026-11-22T06:00:00Z');
  const controller = new AbortController();
  const watching = watchForStall({ clock, stallTimeoutMs: 30_000, lastByteAtMs: () => 0, onStall: () => assert.fail('no stall'), signal: controller.signal });
  controller.abort();
  await watching;
  assert.equal(clock.pendingSleeps.length, 0);
});

test('watchForStall() sleeps until the stall would be due, not once a second: a flowing stream wakes it once per timeout', async () => {
  const clock = new FakeClock('2026-11-22T06:00:00Z');
  let lastByteAtMs = clock.now();
  const controller = new AbortController();
  const watching = watchForStall({ clock, stallTimeoutMs: 30_000, lastByteAtMs: () => lastByteAtMs, onStall: () => assert.fail('no stall'), signal: controller.signal });
  assert.deepEqual(clock.pendingSleeps, [30_000]);
  await clock.advance(10_000);
  lastByteAtMs = clock.now();
  assert.deepEqual(clock.pendingSleeps, [20_000]);
  // Due at 30 s, it finds the byte of 10 s and sleeps until 40 s.
  await clock.advance(20_000);
  assert.deepEqual(clock.pendingSleeps, [10_000]);
  controller.abort();
  await watching;
});
