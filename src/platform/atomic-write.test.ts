import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { basename } from 'node:path';
import { isTemporaryName, openAtomicWriter, temporaryPathFor, writeFileAtomic, writeJsonAtomic } from './atomic-write.js';
import { tempDir } from '../../test/helpers/tmp.js';

test('writeFileAtomic() replaces a file whole and leaves no temporary file', async () => {
  const dir = await tempDir();
  const path = join(dir, 'sub', 'state.json');
  await writeFileAtomic(path, 'old');
  await writeFileAtomic(path, 'new', { mode: 0o600 });
  assert.equal(await readFile(path, 'utf8'), 'new');
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  assert.deepEqual(await readdir(join(dir, 'sub')), ['state.json']);
});

test('writeJsonAtomic() writes pretty JSON with a trailing newline', async () => {
  const dir = await tempDir();
  await writeJsonAtomic(join(dir, 'a.json'), { a: 1 });
  assert.equal(await readFile(join(dir, 'a.json'), 'utf8'), '{\n  "a": 1\n}\n');
});

test('openAtomicWriter() shows nothing under the final name before commit() and nothing after abort()', async () => {
  const dir = await tempDir();
  const path = join(dir, 'big.txt');
  await writeFile(path, 'previous');
  const writer = await openAtomicWriter(path);
  writer.stream.write('part one, ');
  assert.equal(await readFile(path, 'utf8'), 'previous');
  writer.stream.write('part two');
  await writer.commit();
  assert.equal(await readFile(path, 'utf8'), 'part one, part two');

  const aborted = await openAtomicWriter(path);
  aborted.stream.write('half');
  await aborted.abort();
  assert.equal(await readFile(path, 'utf8'), 'part one, part two');
  assert.deepEqual(await readdir(dir), ['big.txt']);
});

test('isTemporaryName() recognises the names temporaryPathFor() makes, and nothing else', () => {
  assert.equal(isTemporaryName(basename(temporaryPathFor('/out/2026-11-22/2026-11-22_03_IDs.txt.xz'))), true);
  for (const name of ['2026-11-22_03_IDs.txt.xz', '.hidden', '.x.12.zz.tmp', 'x.12.0123abcd.tmp', '.x.0123abcd.tmp']) {
    assert.equal(isTemporaryName(name), false, name);
  }
});
