import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { logSink } from '../../test/helpers/log-sink.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { recoverParts } from './part-recovery.js';
import { SegmentRegistry } from './segment-registry.js';
import { PART_SUFFIX, minutePath } from '../contracts/spool-path.js';

const M = Date.parse('2026-11-22T06:27:00Z');
const line = (id: string) => `${JSON.stringify({ data: { id, text: 'é😀' }, __meta: { retrieved_at: '2026-11-22T06:27:01.000Z', server: 'server1' } })}\n`;

async function setup() {
  const spoolDir = await tempDir();
  const segments = new SegmentRegistry({}, (minute, segment) => {
    const path = minutePath(spoolDir, 'server1', minute, segment);
    return existsSync(path) || existsSync(path + PART_SUFFIX);
  });
  const put = async (path: string, content: string | Buffer) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  };
  const recover = () => recoverParts({ spoolDir, server: 'server1', segments, log: logSink().log });
  return { spoolDir, segments, put, recover, path: (minute: number, segment = 0) => minutePath(spoolDir, 'server1', minute, segment) };
}

async function listing(spoolDir: string): Promise<string[]> {
  return (await readdir(join(spoolDir, 'server1'), { recursive: true })).filter((n) => n.includes('.jsonl')).sort();
}

const cases: Array<{ name: string; content: string | Buffer; kept: string; dropped: number }> = [
  { name: 'complete lines', content: line('1') + line('2'), kept: line('1') + line('2'), dropped: 0 },
  { name: 'a last line without newline', content: line('1') + line('2').slice(0, 30), kept: line('1'), dropped: 1 },
  {
    name: 'a last line cut inside a multi-byte character',
    content: Buffer.concat([Buffer.from(line('1')), Buffer.from(line('2')).subarray(0, Buffer.from(line('2')).indexOf(0xf0) + 2)]),
    kept: line('1'),
    dropped: 1,
  },
  { name: 'a complete last line that is not JSON', content: line('1') + '{"data":{"id":"2"\n', kept: line('1'), dropped: 1 },
  { name: 'zeros left by a power loss', content: line('1') + '\0\0\0\0', kept: line('1'), dropped: 1 },
];

for (const c of cases) {
  test(`recoverParts() closes a .part with ${c.name}`, async () => {
    const t = await setup();
    await t.put(t.path(M) + PART_SUFFIX, c.content);
    const result = await t.recover();
    assert.deepEqual(result, { recovered: 1, removed: 0, droppedLines: c.dropped });
    assert.deepEqual(await listing(t.spoolDir), ['2026-11-22/06/2026-11-22T06-27Z.jsonl']);
    assert.equal(await readFile(t.path(M), 'utf8'), c.kept);
    assert.deepEqual(t.segments.snapshot(M), { '2026-11-22T06-27Z': 0 });
  });
}

test('recoverParts() removes empty leftovers and one holding only a cut line', async () => {
  const t = await setup();
  await t.put(t.path(M) + PART_SUFFIX, '');
  await t.put(t.path(M + 60_000) + PART_SUFFIX, '{"data":{"id":"1"');
  assert.deepEqual(await t.recover(), { recovered: 0, removed: 2, droppedLines: 1 });
  assert.deepEqual(await listing(t.spoolDir), []);
});

test('recoverParts() takes the next free segment when the .jsonl name is taken', async () => {
  const t = await setup();
  await t.put(t.path(M), line('1'));
  await t.put(t.path(M) + PART_SUFFIX, line('2'));
  await t.recover();
  assert.deepEqual(await listing(t.spoolDir), ['2026-11-22/06/2026-11-22T06-27Z.jsonl', '2026-11-22/06/2026-11-22T06-27Z_1.jsonl']);
  assert.equal(await readFile(t.path(M, 1), 'utf8'), line('2'));
});

test("recoverParts() keeps a segment's own number and leaves other servers and foreign names alone", async () => {
  const t = await setup();
  await t.put(t.path(M, 2) + PART_SUFFIX, line('1'));
  await t.put(join(t.spoolDir, 'server2/2026-11-22/06/2026-11-22T06-27Z.jsonl.part'), line('9'));
  await t.put(join(t.spoolDir, 'server1/2026-11-22/06/notes.txt.part'), 'x');
  assert.deepEqual(await t.recover(), { recovered: 1, removed: 0, droppedLines: 0 });
  assert.ok(existsSync(t.path(M, 2)));
  assert.ok(existsSync(join(t.spoolDir, 'server2/2026-11-22/06/2026-11-22T06-27Z.jsonl.part')));
  assert.equal(t.segments.claim(M), 3);
});

test('recoverParts() finds the last line of a large file by reading only its tail', async () => {
  const t = await setup();
  const many = Array.from({ length: 5000 }, (_, i) => line(String(i))).join('');
  await t.put(t.path(M) + PART_SUFFIX, many + line('x').slice(0, 10));
  assert.deepEqual(await t.recover(), { recovered: 1, removed: 0, droppedLines: 1 });
  assert.equal(await readFile(t.path(M), 'utf8'), many);
});

test('recoverParts() does nothing without a spool folder', async () => {
  const t = await setup();
  assert.deepEqual(await t.recover(), { recovered: 0, removed: 0, droppedLines: 0 });
});
