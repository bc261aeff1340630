import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { logSink } from '../../test/helpers/log-sink.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { fillToEnospc, mountSmallTmpfs } from '../../test/helpers/small-fs.js';
import { MinuteWriter } from './minute-writer.js';
import { SegmentRegistry } from './segment-registry.js';
import { inspectFrame, metaMember, type SpoolLine } from './spool-line.js';
import { PART_SUFFIX, minutePath } from '../contracts/spool-path.js';

const SERVER = 'server1';

function tweet(id: string): SpoolLine {
  return inspectFrame(Buffer.from(JSON.stringify({ data: { id, text: `tweet ${id} 😀` } }))) as SpoolLine;
}

async function setup(start: string, initialSegments: Record<string, number> = {}, bufferBytes?: number, spool?: string) {
  const spoolDir = spool ?? (await tempDir());
  const clock = new FakeClock(start);
  const sink = logSink();
  const segments = new SegmentRegistry(initialSegments, (minute, segment) => {
    const path = minutePath(spoolDir, SERVER, minute, segment);
    return existsSync(path) || existsSync(path + PART_SUFFIX);
  });
  let claims = 0;
  const writer = new MinuteWriter({
    clock,
    log: sink.log,
    spoolDir,
    server: SERVER,
    segments,
    onSegmentClaimed: () => claims++,
    onFatal: (err) => assert.fail(err),
    bufferBytes,
  });
  const controller = new AbortController();
  const running = writer.run(controller.signal);
  const write = (id: string) => writer.write(tweet(id), metaMember(clock.now(), SERVER, null), clock.now());
  const stop = async () => {
    controller.abort();
    await running;
    await writer.close();
  };
  return { spoolDir, clock, sink, segments, writer, write, stop, claims: () => claims };
}

async function spoolFiles(spoolDir: string): Promise<string[]> {
  return (await readdir(spoolDir, { recursive: true })).filter((name) => name.includes('.jsonl')).sort();
}

async function ids(spoolDir: string, relativePath: string): Promise<string[]> {
  const text = await readFile(join(spoolDir, relativePath), 'utf8');
  assert.ok(text.endsWith('\n'));
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { data: { id: string } }).data.id);
}

const boundaries: Array<[string, string, string, string]> = [
  ['an hour', '2026-11-22T06:59:58.000Z', 'server1/2026-11-22/06/2026-11-22T06-59Z.jsonl', 'server1/2026-11-22/07/2026-11-22T07-00Z.jsonl'],
  ['a day', '2026-11-22T23:59:58.000Z', 'server1/2026-11-22/23/2026-11-22T23-59Z.jsonl', 'server1/2026-11-23/00/2026-11-23T00-00Z.jsonl'],
];

for (const [name, start, first, second] of boundaries) {
  test(`MinuteWriter rotates across ${name} boundary by the clock, not by the next message`, async () => {
    const t = await setup(start);
    t.write('1');
    await t.clock.advance(1_000);
    t.write('2');
    assert.deepEqual(await spoolFiles(t.spoolDir), [first + PART_SUFFIX]);
    await t.clock.advance(1_000);
    await t.writer.settled();
    assert.deepEqual(await spoolFiles(t.spoolDir), [first]);
    assert.deepEqual(await ids(t.spoolDir, first), ['1', '2']);
    t.write('3');
    await t.clock.advance(60_000);
    await t.writer.settled();
    assert.deepEqual(await spoolFiles(t.spoolDir), [first, second].sort());
    assert.deepEqual(await ids(t.spoolDir, second), ['3']);
    const closed = t.sink.lines().filter((l) => l.msg === 'minute closed');
    assert.deepEqual(
      closed.map((l) => [l.file, l.tweets, l.lines]),
      [
        [first, 2, 2],
        [second, 1, 1],
      ],
    );
    await t.stop();
  });
}

test('MinuteWriter writes the queued lines of a chunk through to the .part file on flush(), without a timer', async () => {
  const t = await setup('2026-11-22T06:10:30Z');
  const part = join(t.spoolDir, 'server1/2026-11-22/06/2026-11-22T06-10Z.jsonl.part');
  t.write('1');
  t.write('2');
  t.writer.flush();
  assert.deepEqual(await ids(t.spoolDir, 'server1/2026-11-22/06/2026-11-22T06-10Z.jsonl.part'), ['1', '2']);
  t.write('3');
  await t.clock.advance(5_000);
  // No timer writes a partial chunk: the reader calls flush() at the end of each chunk.
  assert.equal((await readFile(part, 'utf8')).split('\n').filter(Boolean).length, 2);
  t.writer.flush();
  assert.deepEqual(await ids(t.spoolDir, 'server1/2026-11-22/06/2026-11-22T06-10Z.jsonl.part'), ['1', '2', '3']);
  await t.stop();
});

test('MinuteWriter writes no file for a minute without messages', async () => {
  const t = await setup('2026-11-22T06:10:30Z');
  t.write('1');
  await t.clock.advance(3 * 60_000);
  t.write('2');
  await t.stop();
  assert.deepEqual(await spoolFiles(t.spoolDir), [
    'server1/2026-11-22/06/2026-11-22T06-10Z.jsonl',
    'server1/2026-11-22/06/2026-11-22T06-13Z.jsonl',
  ]);
});

test('MinuteWriter uses segment _1 after a restart within the minute, even when the first file is gone', async () => {
  const first = await setup('2026-11-22T06:10:30Z');
  first.write('1');
  await first.stop();
  const remembered = first.segments.snapshot(first.clock.now());
  assert.deepEqual(remembered, { '2026-11-22T06-10Z': 0 });

  const again = await setup('2026-11-22T06:10:40Z', remembered);
  again.write('2');
  await again.stop();
  assert.deepEqual(await spoolFiles(again.spoolDir), ['server1/2026-11-22/06/2026-11-22T06-10Z_1.jsonl']);
  assert.equal(again.claims(), 1);
});

test('MinuteWriter never reuses a name when the clock steps back into a written minute', async () => {
  const t = await setup('2026-11-22T06:10:30Z');
  t.write('1');
  await t.clock.advance(60_000);
  t.write('2');
  t.clock.set('2026-11-22T06:10:50Z');
  t.write('3');
  await t.stop();
  assert.deepEqual(await spoolFiles(t.spoolDir), [
    'server1/2026-11-22/06/2026-11-22T06-10Z.jsonl',
    'server1/2026-11-22/06/2026-11-22T06-10Z_1.jsonl',
    'server1/2026-11-22/06/2026-11-22T06-11Z.jsonl',
  ]);
  assert.deepEqual(await ids(t.spoolDir, 'server1/2026-11-22/06/2026-11-22T06-10Z_1.jsonl'), ['3']);
});

test('MinuteWriter keeps the oldest unclosed minute for the watermark', async () => {
  const t = await setup('2026-11-22T06:10:30Z');
  assert.equal(t.writer.oldestUnclosedMs(), null);
  t.write('1');
  assert.equal(t.writer.oldestUnclosedMs(), Date.parse('2026-11-22T06:10:00Z'));
  await t.clock.advance(30_000);
  await t.writer.settled();
  assert.equal(t.writer.oldestUnclosedMs(), null);
  await t.stop();
});

test('MinuteWriter writes lines larger than its buffer whole and in order', async () => {
  const t = await setup('2026-11-22T06:10:30Z', {}, 256);
  const big = 'x'.repeat(1000);
  for (let i = 0; i < 20; i++) t.writer.write(inspectFrame(Buffer.from(JSON.stringify({ data: { id: String(i), big } }))) as SpoolLine, metaMember(t.clock.now(), SERVER, null), t.clock.now());
  await t.stop();
  assert.deepEqual(await ids(t.spoolDir, 'server1/2026-11-22/06/2026-11-22T06-10Z.jsonl'), Array.from({ length: 20 }, (_, i) => String(i)));
});

test('MinuteWriter survives a full disk (ENOSPC): keeps whole lines only, logs the error once, writes again when space returns', async () => {
  const spoolDir = await mountSmallTmpfs(1);
  const t = await setup('2026-11-22T06:10:30Z', {}, undefined, spoolDir);
  t.write('1');
  t.writer.flush();
  const filler = join(spoolDir, 'filler');
  await fillToEnospc(filler);
  for (let chunk = 0; chunk < 3; chunk++) {
    for (let i = 0; i < 50; i++) t.write(`full-${chunk}-${i}`);
    t.writer.flush();
  }
  const errors = t.sink.lines().filter((l) => l.level === 50);
  assert.deepEqual(errors.map((l) => l.msg), ['disk full (ENOSPC): dropping received lines until space returns']);
  await rm(filler);
  const spaceBack = () => t.sink.lines().filter((l) => l.msg === 'disk space back: writing again');
  // A write right after the last failure is no proof (a cut-back write frees pages): the episode goes on.
  t.write('2');
  t.writer.flush();
  assert.deepEqual(spaceBack(), []);
  await t.clock.advance(2000);
  t.write('3');
  t.writer.flush();
  assert.ok(spaceBack().some((l) => l.chunks === 3));
  await t.clock.advance(60_000);
  await t.writer.settled();
  assert.deepEqual(await ids(spoolDir, 'server1/2026-11-22/06/2026-11-22T06-10Z.jsonl'), ['1', '2', '3']);
  await t.stop();
});
