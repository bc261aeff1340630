import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FaultSchedule, type FaultTarget } from './fault-schedule.js';
import { parseFaults } from './parse-faults.js';

const START = 1_000_000;
const at = (s: number) => START + s * 1000;
const target = (number: number, connectedAtS: number): FaultTarget => ({
  number,
  connectedAtMs: at(connectedAtS),
  fired: new Set(),
});

describe('FaultSchedule', () => {
  const events: { name: string; spec: string; conn: FaultTarget; nowS: number; expected: string | null }[] = [
    { name: 'before its time', spec: 'drop@10', conn: target(1, 0), nowS: 9.999, expected: null },
    { name: 'at its time', spec: 'drop@10', conn: target(1, 0), nowS: 10, expected: 'drop' },
    { name: 'late, for a connection that was open at its time', spec: 'opdisconnect@10', conn: target(1, 5), nowS: 12, expected: 'opdisconnect' },
    { name: 'not for a connection opened after it', spec: 'truncate@10', conn: target(1, 11), nowS: 12, expected: null },
    { name: 'for a connection opened inside its window', spec: 'drop@10+5', conn: target(1, 14), nowS: 14, expected: 'drop' },
    { name: 'for its connection number', spec: 'malformed@1#2', conn: target(2, 0), nowS: 1, expected: 'malformed' },
    { name: 'not for another connection number', spec: 'malformed@1#2', conn: target(1, 0), nowS: 1, expected: null },
    { name: 'not for window kinds', spec: 'stall@1+5', conn: target(1, 0), nowS: 2, expected: null },
  ];
  for (const { name, spec, conn, nowS, expected } of events) {
    it(`takeDueEvent() ${name} (${spec})`, () => {
      const schedule = new FaultSchedule(START, parseFaults(spec));
      assert.equal(schedule.takeDueEvent(conn, at(nowS)), expected);
    });
  }

  it('takeDueEvent() applies an event once per connection', () => {
    const schedule = new FaultSchedule(START, parseFaults('malformed@1'));
    const first = target(1, 0);
    assert.equal(schedule.takeDueEvent(first, at(1)), 'malformed');
    assert.equal(schedule.takeDueEvent(first, at(2)), null);
    assert.equal(schedule.takeDueEvent(target(2, 0), at(2)), 'malformed');
  });

  it('isActive() holds a window fault from its start until its end, for matching connections', () => {
    const schedule = new FaultSchedule(START, parseFaults('stall@10+5#1,split-utf8@0+1'));
    assert.deepEqual(
      [9.9, 10, 14.9, 15].map((s) => schedule.isActive('stall', 1, at(s))),
      [false, true, true, false],
    );
    assert.equal(schedule.isActive('stall', 2, at(12)), false);
    assert.equal(schedule.isActive('split-utf8', 2, at(0.5)), true);
  });

  it('attemptFault() answers attempts inside the window, and one attempt when there is no duration', () => {
    const schedule = new FaultSchedule(START, parseFaults('503@10+5,429@30#3'));
    assert.equal(schedule.attemptFault(1, at(9)), null);
    assert.deepEqual(schedule.attemptFault(1, at(10)), { kind: '503', endMs: at(15) });
    assert.deepEqual(schedule.attemptFault(1, at(14)), { kind: '503', endMs: at(15) });
    assert.equal(schedule.attemptFault(1, at(15)), null);
    assert.equal(schedule.attemptFault(2, at(31)), null);
    assert.deepEqual(schedule.attemptFault(3, at(31)), { kind: '429', endMs: at(30) });
    assert.equal(schedule.attemptFault(3, at(32)), null);
  });

  it('nextChangeMs() names the next start or end that concerns the connection', () => {
    const schedule = new FaultSchedule(START, parseFaults('stall@10+5,drop@20#2,malformed@30'));
    const first = target(1, 0);
    assert.equal(schedule.nextChangeMs(first, at(0)), at(10));
    assert.equal(schedule.nextChangeMs(first, at(12)), at(15));
    assert.equal(schedule.nextChangeMs(first, at(16)), at(30));
    assert.equal(schedule.nextChangeMs(target(2, 0), at(16)), at(20));
    schedule.takeDueEvent(first, at(30));
    assert.equal(schedule.nextChangeMs(first, at(30)), Number.POSITIVE_INFINITY);
  });

  it('add() counts from the start, so a fault injected now is due now', () => {
    const schedule = new FaultSchedule(START);
    const conn = target(1, 0);
    schedule.add({ kind: 'drop', atS: schedule.secondsSinceStart(at(42)), durationS: 0 });
    assert.equal(schedule.nextChangeMs(conn, at(42)), at(42));
    assert.equal(schedule.takeDueEvent(conn, at(42)), 'drop');
  });
});
