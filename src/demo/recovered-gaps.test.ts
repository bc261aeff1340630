import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatRecoveredGap, recoveredGaps } from './recovered-gaps.js';

const T = (s: string) => Date.parse(`2026-11-22T10:${s}Z`);

test('recoveredGaps() counts tweets only the other server received during the gap', () => {
  const own = new Map([['1', T('00:01')], ['4', T('00:40')]]);
  const theirs = new Map([
    ['1', T('00:01')], // both have it
    ['2', T('00:12')], // in the gap, missing here: recovered
    ['3', T('00:21')], // within the slack after the gap end: recovered
    ['4', T('00:15')], // in the gap but we got it later anyway
    ['5', T('00:50')], // missing here, but long after the gap
  ]);
  const [gap] = recoveredGaps('server1', [{ start: '2026-11-22T10:00:10.000Z', end: '2026-11-22T10:00:20.000Z', reason: 'stall' }], own, 'server2', theirs);
  assert.equal(gap!.recovered, 2);
  assert.equal(formatRecoveredGap(gap!), 'server1 gap 10:00:10-10:00:20 recovered by server2: 2 tweets');
});
