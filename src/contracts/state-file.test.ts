import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { tempDir } from '../../test/helpers/tmp.js';
import { decodeStateFile, readStateFile, writeStateFile, type SetAsideStateFile, type StateFileFormat } from './state-file.js';

const schema = z.object({ format_version: z.literal(2), count: z.number().int() });
const FORMAT: StateFileFormat<z.output<typeof schema>> = {
  name: 'counter.json',
  version: 2,
  schema,
  // Version 1 called the field `n`.
  migrate: (doc) => ({ count: doc.n }),
};

describe('decodeStateFile()', () => {
  const cases: Array<{ name: string; text: string; expected: ReturnType<typeof decodeStateFile> }> = [
    { name: 'the current version', text: '{"format_version":2,"count":3}', expected: { kind: 'ok', value: { format_version: 2, count: 3 } } },
    { name: 'an older version, migrated', text: '{"format_version":1,"n":4}', expected: { kind: 'ok', value: { format_version: 2, count: 4 } } },
    { name: 'no format_version: version 1', text: '{"n":5}', expected: { kind: 'ok', value: { format_version: 2, count: 5 } } },
    { name: 'a newer version', text: '{"format_version":3,"count":3}', expected: { kind: 'newer', version: 3 } },
    { name: 'truncated JSON', text: '{"format_version":2,"cou', expected: { kind: 'corrupt', reason: 'not JSON' } },
    { name: 'an empty file', text: '', expected: { kind: 'corrupt', reason: 'not JSON' } },
    { name: 'an array', text: '[1]', expected: { kind: 'corrupt', reason: 'not a JSON object' } },
    { name: 'null', text: 'null', expected: { kind: 'corrupt', reason: 'not a JSON object' } },
    { name: 'a text format_version', text: '{"format_version":"2","count":1}', expected: { kind: 'corrupt', reason: 'format_version "2"' } },
    { name: 'a field of the wrong type', text: '{"format_version":2,"count":"x"}', expected: { kind: 'corrupt', reason: 'count: ' } },
  ];
  for (const { name, text, expected } of cases) {
    it(`reads ${name} as ${expected.kind}`, () => {
      const decoded = decodeStateFile(text, FORMAT);
      if (expected.kind === 'corrupt' && decoded.kind === 'corrupt') assert.ok(decoded.reason.startsWith(expected.reason), decoded.reason);
      else assert.deepEqual(decoded, expected);
    });
  }

  it('without a migration an older file only gains the field', () => {
    const format = { name: 'x.json', version: 1, schema: z.object({ format_version: z.literal(1), a: z.string() }) };
    assert.deepEqual(decodeStateFile('{"a":"b"}', format), { kind: 'ok', value: { format_version: 1, a: 'b' } });
  });
});

describe('readStateFile()', () => {
  const nowMs = Date.parse('2026-11-22T10:05:09Z');

  it('reads nothing as null and round-trips what writeStateFile() wrote, format_version first', async () => {
    const path = join(await tempDir(), 'counter.json');
    assert.equal(await readStateFile(path, FORMAT), null);
    await writeStateFile(path, FORMAT, { format_version: 2, count: 7 });
    assert.match(await readFile(path, 'utf8'), /^\{\n {2}"format_version": 2,\n {2}"count": 7\n\}\n$/);
    assert.deepEqual(await readStateFile(path, FORMAT), { format_version: 2, count: 7 });
  });

  it('refuses a newer file by name and says to upgrade, with or without repair, and leaves it in place', async () => {
    const dir = await tempDir();
    const path = join(dir, 'counter.json');
    await writeFile(path, '{"format_version":9}');
    const repair = { nowMs, onSetAside: async () => assert.fail('a newer file is not corrupt') };
    // One read at a time: a second promise created up front would reject before anyone awaits it.
    for (const attempt of [() => readStateFile(path, FORMAT), () => readStateFile(path, FORMAT, repair)]) {
      await assert.rejects(attempt(), (err: Error) => err.message.includes(path) && /format_version 9.*upgrade sampled-stream/.test(err.message));
    }
    assert.deepEqual(await readdir(dir), ['counter.json']);
  });

  it('without repair a corrupt file is an error naming it; with repair it is moved aside, reported, and reads as absent', async () => {
    const dir = await tempDir();
    const path = join(dir, 'counter.json');
    await writeFile(path, '{"format_version":2,"cou');
    await assert.rejects(readStateFile(path, FORMAT), (err: Error) => err.message.startsWith(`Cannot read ${path}: not JSON`));
    const reported: SetAsideStateFile[] = [];
    assert.equal(await readStateFile(path, FORMAT, { nowMs, onSetAside: async (file) => void reported.push(file) }), null);
    const movedTo = `${path}.corrupt-2026-11-22T10-05-09Z`;
    assert.deepEqual(reported.map((r) => [r.path, r.movedTo]), [[path, movedTo]]);
    assert.equal(await readFile(movedTo, 'utf8'), '{"format_version":2,"cou', 'the bytes are kept');
    assert.deepEqual(await readdir(dir), ['counter.json.corrupt-2026-11-22T10-05-09Z']);
  });
});
