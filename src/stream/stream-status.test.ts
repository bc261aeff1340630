import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StreamStatus } from './stream-status.js';
import type { StreamState } from '../contracts/stream-state.js';

const T = (iso: string) => Date.parse(iso);

function fresh(connections = 1) {
  return new StreamStatus({ server: 'server1', nowMs: T('2026-11-22T06:00:00Z'), previous: null, connections });
}

test('StreamStatus opens a gap at the first start that closes when data flows', () => {
  const status = fresh();
  assert.equal(status.snapshot(T('2026-11-22T06:00:01Z'), 0, {}).gaps[0]?.open, true);
  status.connectionUp('sample', T('2026-11-22T06:00:02Z'));
  const state = status.snapshot(T('2026-11-22T06:00:03Z'), T('2026-11-22T06:00:00Z'), {});
  assert.equal(state.connected, true);
  assert.deepEqual(state.gaps, [{ start: '2026-11-22T06:00:00.000Z', end: '2026-11-22T06:00:02.000Z', reason: 'starting' }]);
  assert.equal(state.first_started_at, '2026-11-22T06:00:00.000Z');
});

test('StreamStatus records a gap per outage with its first cause', () => {
  const status = fresh();
  status.connectionUp('sample', T('2026-11-22T06:00:01Z'));
  status.connectionDown('sample', 'stall', T('2026-11-22T06:10:00Z'));
  status.connectionDown('sample', 'network', T('2026-11-22T06:10:31Z'));
  const open = status.snapshot(T('2026-11-22T06:10:40Z'), 0, {});
  assert.equal(open.connected, false);
  assert.deepEqual(open.gaps.at(-1), { start: '2026-11-22T06:10:00.000Z', end: '2026-11-22T06:10:40.000Z', reason: 'stall', open: true });
  status.connectionUp('sample', T('2026-11-22T06:11:00Z'));
  assert.deepEqual(status.snapshot(T('2026-11-22T06:11:01Z'), 0, {}).gaps.at(-1), {
    start: '2026-11-22T06:10:00.000Z',
    end: '2026-11-22T06:11:00.000Z',
    reason: 'stall',
  });
});

test('StreamStatus with two partitions is connected only while both deliver', () => {
  const status = fresh(2);
  status.connectionUp('partition-1', T('2026-11-22T06:00:01Z'));
  assert.equal(status.isConnected(), false);
  status.connectionUp('partition-2', T('2026-11-22T06:00:02Z'));
  assert.equal(status.isConnected(), true);
  status.connectionDown('partition-2', 'drop (partition 2)', T('2026-11-22T06:05:00Z'));
  status.connectionUp('partition-2', T('2026-11-22T06:05:01Z'));
  const gaps = status.snapshot(T('2026-11-22T06:06:00Z'), 0, {}).gaps;
  assert.deepEqual(gaps.at(-1), { start: '2026-11-22T06:05:00.000Z', end: '2026-11-22T06:05:01.000Z', reason: 'drop (partition 2)' });
});

test('StreamStatus counts lines, reconnects, malformed and truncated lines', () => {
  const status = fresh();
  status.recordLine('tweet', T('2026-11-22T06:00:01Z'));
  status.recordLine('tweet', T('2026-11-22T06:00:02Z'));
  status.recordLine('error-only', T('2026-11-22T06:00:03Z'));
  status.recordLine('other', T('2026-11-22T06:00:04Z'));
  status.recordMalformed();
  status.recordTruncated(2);
  status.recordReconnect('stall');
  status.recordReconnect('stall');
  status.recordReconnect('config');
  const state = status.snapshot(T('2026-11-22T06:00:05Z'), 0, {});
  assert.deepEqual(state.counters, { messages: 4, tweets: 2, errors: 1, malformed: 1, non_tweet: 2, truncated: 2, reconnects: { stall: 2, config: 1 } });
  assert.equal(state.last_message_at, '2026-11-22T06:00:04.000Z');
});

test('StreamStatus keeps the auth state and the usage cap', () => {
  const status = fresh();
  status.recordAuthRejected(401, 'Unauthorized: Unauthorized', T('2026-11-22T06:00:01Z'));
  status.recordUsageCap(T('2026-11-22T06:00:02Z'));
  let state = status.snapshot(T('2026-11-22T06:00:03Z'), 0, {});
  assert.deepEqual(state.auth, { state: 'rejected', status: 401, detail: 'Unauthorized: Unauthorized', at: '2026-11-22T06:00:01.000Z' });
  assert.equal(state.usage_capped_at, '2026-11-22T06:00:02.000Z');
  status.recordAuthOk(T('2026-11-22T06:15:00Z'));
  state = status.snapshot(T('2026-11-22T06:15:01Z'), 0, {});
  assert.deepEqual(state.auth, { state: 'ok', at: '2026-11-22T06:15:00.000Z' });
  assert.equal(state.usage_capped_at, null);
});

test('StreamStatus never moves the watermark back', () => {
  const status = fresh();
  assert.equal(status.snapshot(T('2026-11-22T06:05:00Z'), T('2026-11-22T06:05:00Z'), {}).watermark, '2026-11-22T06:05:00.000Z');
  assert.equal(status.snapshot(T('2026-11-22T06:03:00Z'), T('2026-11-22T06:03:00Z'), {}).watermark, '2026-11-22T06:05:00.000Z');
});

function previous(overrides: Partial<StreamState>): StreamState {
  return {
    ...fresh().snapshot(T('2026-11-22T05:00:00Z'), T('2026-11-22T05:00:00Z'), {}),
    first_started_at: '2026-11-01T00:00:00.000Z',
    counters: { messages: 10, tweets: 9, errors: 1, malformed: 0, non_tweet: 1, reconnects: { drop: 4 } },
    ...overrides,
  };
}

test('StreamStatus after a crash opens a downtime gap from the last state write and keeps the history', () => {
  const before = previous({ connected: true, updated_at: '2026-11-22T05:30:00.000Z', gaps: [{ start: '2026-11-21T05:00:00.000Z', end: '2026-11-21T05:01:00.000Z', reason: 'drop' }] });
  const status = new StreamStatus({ server: 'server1', nowMs: T('2026-11-22T06:00:00Z'), previous: before, connections: 1 });
  status.connectionUp('sample', T('2026-11-22T06:00:01Z'));
  status.recordReconnect('drop');
  const state = status.snapshot(T('2026-11-22T06:00:02Z'), 0, {});
  assert.equal(state.first_started_at, '2026-11-01T00:00:00.000Z');
  assert.equal(state.started_at, '2026-11-22T06:00:00.000Z');
  assert.deepEqual(state.gaps, [
    { start: '2026-11-21T05:00:00.000Z', end: '2026-11-21T05:01:00.000Z', reason: 'drop' },
    { start: '2026-11-22T05:30:00.000Z', end: '2026-11-22T06:00:01.000Z', reason: 'daemon-down' },
  ]);
  assert.equal(state.counters.messages, 10);
  assert.deepEqual(state.counters.reconnects, { drop: 5 });
  assert.equal(state.watermark, '2026-11-22T05:00:00.000Z');
});

test('StreamStatus after a clean stop continues the open gap and forgets gaps older than 7 days', () => {
  const before = previous({
    connected: false,
    gaps: [
      { start: '2026-11-10T00:00:00.000Z', end: '2026-11-10T00:01:00.000Z', reason: 'drop' },
      { start: '2026-11-22T05:40:00.000Z', end: '2026-11-22T05:40:00.000Z', reason: 'stopped', open: true },
    ],
  });
  const status = new StreamStatus({ server: 'server1', nowMs: T('2026-11-22T06:00:00Z'), previous: before, connections: 1 });
  status.connectionUp('sample', T('2026-11-22T06:00:01Z'));
  assert.deepEqual(status.snapshot(T('2026-11-22T06:00:02Z'), 0, {}).gaps, [
    { start: '2026-11-22T05:40:00.000Z', end: '2026-11-22T06:00:01.000Z', reason: 'stopped' },
  ]);
});

test('StreamStatus counts tweets per minute for the last hour, across a restart', () => {
  const status = fresh();
  status.recordLine('tweet', T('2026-11-22T06:00:01Z'));
  status.recordLine('tweet', T('2026-11-22T06:00:59Z'));
  status.recordLine('error-only', T('2026-11-22T06:01:00Z'));
  status.recordLine('tweet', T('2026-11-22T06:59:00Z'));
  const state = status.snapshot(T('2026-11-22T07:00:30Z'), 0, {});
  assert.deepEqual(state.tweets_by_minute, { '2026-11-22T06:00:00.000Z': 2, '2026-11-22T06:59:00.000Z': 1 });
  const after = new StreamStatus({ server: 'server1', nowMs: T('2026-11-22T07:01:00Z'), previous: state, connections: 1 });
  assert.deepEqual(after.snapshot(T('2026-11-22T07:01:00Z'), 0, {}).tweets_by_minute, { '2026-11-22T06:59:00.000Z': 1 });
});
