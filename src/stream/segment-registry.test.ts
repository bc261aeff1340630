import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SegmentRegistry } from './segment-registry.js';

const M = Date.parse('2026-11-22T06:27:00Z');

test('SegmentRegistry.claim() starts at segment 0 and never hands a name out twice', () => {
  const registry = new SegmentRegistry({}, () => false);
  assert.deepEqual([registry.claim(M), registry.claim(M), registry.claim(M + 60_000), registry.claim(M)], [0, 1, 0, 2]);
});

test('SegmentRegistry.claim() continues after the segments remembered in stream.json', () => {
  const registry = new SegmentRegistry({ '2026-11-22T06-27Z': 1, 'not-a-minute': 5 }, () => false);
  assert.equal(registry.claim(M), 2);
});

test('SegmentRegistry.claim() skips names that exist on disk', () => {
  const onDisk = new Set([`${M}:0`, `${M}:1`]);
  const registry = new SegmentRegistry({}, (minute, segment) => onDisk.has(`${minute}:${segment}`));
  assert.equal(registry.claim(M), 2);
});

test('SegmentRegistry.note() records a recovered segment', () => {
  const registry = new SegmentRegistry({}, () => false);
  registry.note(M, 3);
  registry.note(M, 1);
  assert.equal(registry.claim(M), 4);
});

test('SegmentRegistry.snapshot() lists recent minutes by key and forgets those older than 6 h', () => {
  const registry = new SegmentRegistry({ '2026-11-22T00-27Z': 0 }, () => false);
  registry.claim(M);
  assert.deepEqual(registry.snapshot(M), { '2026-11-22T00-27Z': 0, '2026-11-22T06-27Z': 0 });
  assert.deepEqual(registry.snapshot(M + 120_000), { '2026-11-22T06-27Z': 0 });
});
