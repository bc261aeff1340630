import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { emptyAlertState, evaluateAlerts, withMailUnsent, type AlertState } from './alert-policy.js';
import type { Observation } from './conditions.js';

const silence = (open: boolean): Observation => ({ condition: 'silence', open, detail: open ? 'no message' : 'ok' });
const disk = (open: boolean): Observation => ({ condition: 'disk-low', open, detail: open ? 'low' : 'ok' });

test('evaluateAlerts() mails once per interval while open and once on recovery', async () => {
  const clock = new FakeClock('2026-11-22T10:00:00Z');
  let state = emptyAlertState();
  const kinds: string[] = [];
  // One watch run per minute: open for 130 minutes, then clear for 5.
  for (let minute = 0; minute < 135; minute++) {
    const result = evaluateAlerts(state, [silence(minute < 130)], clock.now(), 60);
    state = result.state;
    kinds.push(...result.mails.map((m) => `${minute}:${m.kind}`));
    await clock.advance(60_000);
  }
  assert.deepEqual(kinds, ['0:alert', '60:reminder', '120:reminder', '130:recovered']);
  assert.deepEqual(state.open, {});
});

test('evaluateAlerts() keeps conditions apart and leaves unobserved ones as they were', () => {
  const t0 = Date.parse('2026-11-22T10:00:00Z');
  const first = evaluateAlerts(emptyAlertState(), [silence(true), disk(true)], t0, 60);
  assert.deepEqual(first.mails.map((m) => [m.condition, m.kind]), [['silence', 'alert'], ['disk-low', 'alert']]);
  assert.deepEqual(first.state.open.silence, { opened_at: '2026-11-22T10:00:00.000Z', last_mail_at: '2026-11-22T10:00:00.000Z', detail: 'no message' });
  // The disk check did not run (no observation): disk-low stays open without mail; silence clears.
  const second = evaluateAlerts(first.state, [silence(false)], t0 + 60_000, 60);
  assert.deepEqual(second.mails.map((m) => [m.condition, m.kind, m.openedAt]), [['silence', 'recovered', '2026-11-22T10:00:00.000Z']]);
  assert.deepEqual(Object.keys(second.state.open), ['disk-low']);
  assert.deepEqual(evaluateAlerts(second.state, [disk(false), silence(false)], t0 + 120_000, 60).mails.map((m) => m.kind), ['recovered']);
});

test('withMailUnsent() makes a failed mail due again on the next run', () => {
  const t0 = Date.parse('2026-11-22T10:00:00Z');
  const before = emptyAlertState();
  const decided = evaluateAlerts(before, [silence(true)], t0, 60);
  const unsent = withMailUnsent(before, decided.state, decided.mails[0]!);
  assert.equal(unsent.open.silence?.last_mail_at, null);
  assert.equal(unsent.open.silence?.opened_at, '2026-11-22T10:00:00.000Z');
  const retry = evaluateAlerts(unsent, [silence(true)], t0 + 60_000, 60);
  assert.deepEqual(retry.mails.map((m) => [m.kind, m.openedAt]), [['alert', '2026-11-22T10:00:00.000Z']]);

  // A failed reminder keeps the previous mail time; a failed recovery keeps the condition open.
  const reminderBefore: AlertState = retry.state;
  const reminder = evaluateAlerts(reminderBefore, [silence(true)], t0 + 61 * 60_000, 60);
  assert.equal(reminder.mails[0]?.kind, 'reminder');
  assert.equal(withMailUnsent(reminderBefore, reminder.state, reminder.mails[0]!).open.silence?.last_mail_at, '2026-11-22T10:01:00.000Z');
  const recovered = evaluateAlerts(reminder.state, [silence(false)], t0 + 62 * 60_000, 60);
  const kept = withMailUnsent(reminder.state, recovered.state, recovered.mails[0]!);
  assert.deepEqual(kept.open.silence, reminder.state.open.silence);
  assert.equal(evaluateAlerts(kept, [silence(false)], t0 + 63 * 60_000, 60).mails[0]?.kind, 'recovered');
});
