import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { parseFaults, startXEmulator, type XEmulator, type XEmulatorOptions } from '../src/emulator/index.js';
import { OPERATIONAL_DISCONNECT_LINE } from '../src/emulator/problems.js';
import { FakeClock } from './helpers/fake-clock.js';
import { DAEMON_QUERY, openRaw, waitFor, type RawResponse } from './helpers/emulator-stream-client.js';

const SAMPLE = `/2/tweets/sample/stream?${DAEMON_QUERY}`;
const opened: RawResponse[] = [];
const emulators: XEmulator[] = [];

after(async () => {
  for (const response of opened) response.close();
  await Promise.all(emulators.map((e) => e.close()));
});

async function emulator(options: XEmulatorOptions): Promise<XEmulator> {
  const started = await startXEmulator(options);
  emulators.push(started);
  return started;
}

async function open(emu: XEmulator): Promise<RawResponse> {
  const response = await openRaw(emu.url, SAMPLE);
  opened.push(response);
  return response;
}

/** A stream on a fake clock that has already delivered some messages. */
async function flowing(options: XEmulatorOptions = {}) {
  const clock = new FakeClock('2026-11-22T06:00:00Z');
  const emu = await emulator({ clock, ratePerS: 20, keepaliveS: 1, ...options });
  const stream = await open(emu);
  await clock.advance(500);
  await waitFor(() => stream.messages().length >= 10, 'the first messages');
  return { clock, emu, stream };
}

/** Whether `chunk` stops part-way through a multi-byte UTF-8 character. */
function endsInsideCharacter(chunk: Buffer): boolean {
  for (let back = 1; back <= Math.min(4, chunk.length); back++) {
    const byte = chunk[chunk.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back;
  }
  return false;
}

describe('X API emulator faults', () => {
  it('drop closes the socket abruptly, without the final chunk', async () => {
    const { emu, stream } = await flowing();
    emu.injectFault({ kind: 'drop', durationS: 0 });
    assert.equal(await stream.ended, 'aborted');
    assert.ok(stream.body().subarray(-2).equals(Buffer.from('\r\n')), 'messages before the drop are whole');
    await waitFor(() => emu.activeConnections() === 0, 'the slot to free');
  });

  it('stall sends nothing, not even keep-alives, for its duration, then skips the stalled tweets', async () => {
    const { clock, emu, stream } = await flowing({ duplicateRate: 0 });
    const before = stream.body().length;
    emu.injectFault({ kind: 'stall', durationS: 10 });
    for (let i = 0; i < 9; i++) await clock.advance(1000);
    await delay(50);
    assert.equal(stream.body().length, before);
    const resumedAtMs = clock.now() + 1000;
    const count = stream.messages().length;
    await clock.advance(1500);
    await waitFor(() => stream.messages().length > count, 'messages after the stall');
    const next = stream.messages()[count]!;
    assert.equal(next.data.id, emu.sampleIds(resumedAtMs, resumedAtMs + 100)[0], 'the stream resumes with current tweets');
    assert.equal(emu.activeConnections(), 1);
  });

  it('opdisconnect sends the operational-disconnect line, then ends the response', async () => {
    const { emu, stream } = await flowing();
    emu.injectFault({ kind: 'opdisconnect', durationS: 0 });
    assert.equal(await stream.ended, 'end');
    const last = stream.messages().at(-1)!;
    assert.equal(last.errors[0].title, 'operational-disconnect');
    assert.equal(last.errors[0].disconnect_type, 'UpstreamOperationalDisconnect');
    assert.ok(stream.body().subarray(-OPERATIONAL_DISCONNECT_LINE.length).equals(OPERATIONAL_DISCONNECT_LINE));
  });

  it('truncate writes half a message line, then destroys the socket', async () => {
    const { emu, stream } = await flowing();
    emu.injectFault({ kind: 'truncate', durationS: 0 });
    assert.equal(await stream.ended, 'aborted');
    const text = stream.body().toString('utf8');
    const partial = text.slice(text.lastIndexOf('\r\n') + 2);
    assert.ok(partial.startsWith('{"data":{') && partial.length > 100, `partial line ${partial.slice(0, 40)}`);
    assert.throws(() => JSON.parse(partial));
  });

  it('malformed sends one invalid JSON line and the stream goes on', async () => {
    const { clock, emu, stream } = await flowing();
    emu.injectFault({ kind: 'malformed', durationS: 0 });
    await waitFor(() => stream.lines().includes('{"data": {"id": "12'), 'the malformed line');
    const at = stream.lines().indexOf('{"data": {"id": "12');
    await clock.advance(500);
    await waitFor(() => stream.lines().length > at + 5, 'messages after the malformed line');
    for (const line of stream.lines().slice(at + 1)) assert.ok(line === '' || JSON.parse(line).data.id);
    assert.equal(stream.lines().filter((line) => line.startsWith('{"data": {"id": "12')).length, 1);
  });

  it('split-utf8 splits messages inside multi-byte characters across chunks, and the bytes stay intact', async () => {
    const emu = await emulator({ ratePerS: 300, faults: parseFaults('split-utf8@0+600') });
    const stream = await openRaw(emu.url, '/2/tweets/sample/stream');
    opened.push(stream);
    await waitFor(() => stream.messages().length >= 60, '60 messages');
    const inside = stream.chunks.filter(endsInsideCharacter).length;
    assert.ok(inside >= 60, `${inside} of ${stream.chunks.length} chunks end inside a character`);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(stream.body());
    assert.ok(!text.includes('\uFFFD'));
    for (const message of stream.messages()) assert.match(message.data.id, /^\d+$/);
  });

  it('503 and 429 answer connection attempts for their duration', async () => {
    const clock = new FakeClock('2026-11-22T06:00:00Z');
    const emu = await emulator({ clock, faults: parseFaults('503@0+10,429@20+100') });
    const unavailable = await open(emu);
    assert.equal(unavailable.status, 503);
    await unavailable.ended;
    assert.equal(JSON.parse(unavailable.body().toString()).title, 'Service Unavailable');
    await clock.advance(20_000);
    const limited = await open(emu);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['x-rate-limit-remaining'], '0');
    assert.equal(limited.headers['x-rate-limit-reset'], String(Date.parse('2026-11-22T06:02:00Z') / 1000));
    await clock.advance(100_000);
    assert.equal((await open(emu)).status, 200);
    assert.deepEqual(emu.stats().connectionsRejected, { 429: 1, 503: 1 });
  });

  it('a fault without a duration answers one attempt; a connection number picks one connection', async () => {
    const clock = new FakeClock('2026-11-22T06:00:00Z');
    const emu = await emulator({ clock, ratePerS: 20, faults: parseFaults('503@0,drop@0+3600#2') });
    assert.equal((await open(emu)).status, 503);
    const first = await open(emu);
    const second = await open(emu);
    assert.deepEqual([first.status, second.status], [200, 200]);
    assert.equal(await second.ended, 'aborted');
    await clock.advance(500);
    await waitFor(() => first.messages().length >= 10, 'the first connection to carry on');
    assert.equal(emu.stats().connectionsAccepted, 2);
  });
});
