import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextSyncState, type SyncStateInput } from './next-sync-state.js';
import type { SyncState } from '../contracts/sync-state.js';

const NOW = Date.parse('2026-11-22T07:00:30Z');
const GAP = { start: '2026-11-22T05:00:00.000Z', end: '2026-11-22T05:03:10.000Z', reason: 'network' };
const PREVIOUS: SyncState = {
  format_version: 1,
  server: 'server2',
  complete_until: '2026-11-22T06:50:00.000Z',
  gaps: [GAP],
  backlog: { files: 0, bytes: 0, oldest_minute: null },
  sent: {},
  updated_at: '2026-11-22T06:51:00.000Z',
};
const base: SyncStateInput = { server: 'server2', nowMs: NOW, previous: PREVIOUS, stream: null, unsent: [], sent: {}, freeSpace: [] };
const stream = { watermark: '2026-11-22T07:00:00.000Z', gaps: [] };
const unsent = [
  { minuteStartMs: Date.parse('2026-11-22T06:55:00Z'), bytes: 100 },
  { minuteStartMs: Date.parse('2026-11-22T06:58:00Z'), bytes: 50 },
];

describe('nextSyncState()', () => {
  const cases: Array<{ name: string; input: Partial<SyncStateInput>; completeUntil: string | null }> = [
    { name: 'is the stream watermark when nothing is left', input: { stream }, completeUntil: '2026-11-22T07:00:00.000Z' },
    { name: 'stops at the oldest unsent minute', input: { stream, unsent }, completeUntil: '2026-11-22T06:55:00.000Z' },
    {
      name: 'keeps the watermark when it is older than the backlog',
      input: { stream: { ...stream, watermark: '2026-11-22T06:40:00.000Z' }, unsent },
      completeUntil: '2026-11-22T06:40:00.000Z',
    },
    { name: 'stays where it was without stream state', input: { unsent }, completeUntil: '2026-11-22T06:50:00.000Z' },
    { name: 'is null on a first run without stream state', input: { previous: null }, completeUntil: null },
  ];
  for (const c of cases) {
    it(`complete_until ${c.name}`, () => {
      assert.equal(nextSyncState({ ...base, ...c.input }).complete_until, c.completeUntil);
    });
  }

  it('carries server 2\'s free space for server 1\'s daily report', () => {
    const freeSpace = [{ key: 'paths.spool', path: '/var/lib/sampled-stream/spool', freeBytes: 12_345_678_901 }];
    assert.deepEqual(nextSyncState({ ...base, freeSpace }).free_space, [{ key: 'paths.spool', path: '/var/lib/sampled-stream/spool', free_bytes: 12_345_678_901 }]);
  });

  it('counts the backlog and names its oldest minute', () => {
    const state = nextSyncState({ ...base, stream, unsent });
    assert.deepEqual(state.backlog, { files: 2, bytes: 150, oldest_minute: '2026-11-22T06:55:00.000Z' });
    assert.deepEqual(nextSyncState({ ...base, stream }).backlog, { files: 0, bytes: 0, oldest_minute: null });
  });

  it('takes gaps from stream.json, else keeps the previous ones', () => {
    assert.deepEqual(nextSyncState({ ...base, stream }).gaps, []);
    assert.deepEqual(nextSyncState(base).gaps, [GAP]);
    assert.deepEqual(nextSyncState({ ...base, previous: null }).gaps, []);
  });

  it('carries the sent map, the server and the time', () => {
    const sent = { 'server2/2026-11-22/06/2026-11-22T06-27Z.jsonl': 'ab'.repeat(32) };
    const state = nextSyncState({ ...base, sent });
    assert.equal(state.sent, sent);
    assert.equal(state.server, 'server2');
    assert.equal(state.format_version, 1);
    assert.equal(state.updated_at, '2026-11-22T07:00:30.000Z');
  });
});
