import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { logSink } from '../../test/helpers/log-sink.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { MinuteWriter } from './minute-writer.js';
import { SegmentRegistry } from './segment-registry.js';
import { PART_SUFFIX, minutePath } from '../contracts/spool-path.js';
import { MAX_LINE_BYTES, readStreamBody } from './stream-body.js';
import { StreamStatus } from './stream-status.js';

const opDisconnect = '{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","type":"https://api.x.com/2/problems/operational-disconnect"}]}';

async function setup(partition: number | null = null) {
  const spoolDir = await tempDir();
  const clock = new FakeClock('2026-11-22T06:27:10.250Z');
  const sink = logSink();
  const status = new StreamStatus({ server: 'server2', nowMs: clock.now(), previous: null, connections: 1 });
  const writer = new MinuteWriter({
    clock,
    log: sink.log,
    spoolDir,
    server: 'server2',
    segments: new SegmentRegistry({}, () => false),
    onSegmentClaimed: () => undefined,
    onFatal: (err) => assert.fail(err),
  });
  const response = new PassThrough();
  const byteTimes: number[] = [];
  const ended = readStreamBody(
    { clock, log: sink.log, connection: 'sample', partition, server: 'server2', writer, status, onStateChange: () => undefined },
    response as unknown as IncomingMessage,
    (atMs) => byteTimes.push(atMs),
  );
  const path = minutePath(spoolDir, 'server2', Date.parse('2026-11-22T06:27:00Z'));
  const spoolText = () => readFile(existsSync(path) ? path : path + PART_SUFFIX, 'utf8');
  return { clock, sink, status, writer, response, ended, byteTimes, spoolText };
}

test('readStreamBody() writes messages with __meta, skips keep-alives and drops malformed lines', async () => {
  const t = await setup(2);
  t.response.write('\r\n{"data":{"id":"1","text":"a"}}\r\n{"data": {"id": "12\r\n\r\n{"errors":[{"title":"x"}]}\r');
  t.response.write('\n{"data":{"id":"2"');
  t.response.end();
  assert.deepEqual(await t.ended, { kind: 'drop' });
  await t.writer.close();
  assert.equal(
    await t.spoolText(),
    '{"data":{"id":"1","text":"a"},"__meta":{"retrieved_at":"2026-11-22T06:27:10.250Z","server":"server2","partition":2}}\n' +
      '{"errors":[{"title":"x"}],"__meta":{"retrieved_at":"2026-11-22T06:27:10.250Z","server":"server2","partition":2}}\n',
  );
  const state = t.status.snapshot(t.clock.now(), 0, {});
  assert.deepEqual([state.counters.tweets, state.counters.errors, state.counters.malformed, state.counters.truncated], [1, 1, 1, 1]);
  assert.equal(state.connected, true);
  assert.equal(t.byteTimes.length, 2);
  assert.deepEqual(
    t.sink.lines().map((l) => l.msg),
    ['malformed line dropped', 'partial last line dropped', 'minute closed'],
  );
});

test('readStreamBody() ends the connection itself after an operational disconnect line, which it writes', async () => {
  const t = await setup();
  t.response.write(`{"data":{"id":"1"}}\r\n${opDisconnect}\r\n{"data":{"id":"2"}}\r\n`);
  assert.deepEqual(await t.ended, { kind: 'operational-disconnect' });
  assert.equal(t.response.destroyed, true);
  // Written through when the body ends, not only when the file closes.
  assert.equal((await t.spoolText()).trim().split('\n').length, 2);
  await t.writer.close();
  const lines = (await t.spoolText()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => Object.keys(l)), [['data', '__meta'], ['errors', '__meta']]);
});

test('readStreamBody() drops a connection whose line grows past the limit', async () => {
  const t = await setup();
  t.response.write('{"data":{"text":"');
  t.response.write(Buffer.alloc(MAX_LINE_BYTES, 0x61));
  assert.deepEqual(await t.ended, { kind: 'drop' });
  assert.equal(t.status.snapshot(t.clock.now(), 0, {}).counters.malformed, 1);
  assert.ok(t.sink.lines().some((l) => l.msg === 'line too long: reconnecting'));
  await t.writer.close();
});

test('readStreamBody() writes each chunk\'s complete lines to the .part file before the next chunk is read', async () => {
  const t = await setup();
  const linesInPart = async () => (await t.spoolText()).split('\n').filter(Boolean).length;
  t.response.write('{"data":{"id":"1"}}\r\n{"data":{"id":"2"}}\r\n{"data":{"id"');
  await new Promise((resolve) => setImmediate(resolve));
  // No timer has run (the clock is fake): the lines are already in the file, as after a kill -9.
  assert.equal(await linesInPart(), 2);
  t.response.write(':"3"}}\r\n');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(await linesInPart(), 3);
  t.response.end();
  await t.ended;
  await t.writer.close();
});

test('readStreamBody() writes the lines of chunks handed on together (one socket read) in one write', async () => {
  const t = await setup();
  let flushes = 0;
  const flush = t.writer.flush.bind(t.writer);
  t.writer.flush = () => {
    flushes++;
    flush();
  };
  // One socket read carrying several HTTP chunks: the response emits them one after another, in one go.
  t.response.emit('data', Buffer.from('{"data":{"id":"1"}}\r\n'));
  t.response.emit('data', Buffer.from('{"data":{"id":"2"}}\r\n'));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(flushes, 1);
  assert.equal((await t.spoolText()).split('\n').filter(Boolean).length, 2);
  t.response.end();
  await t.ended;
  await t.writer.close();
});
