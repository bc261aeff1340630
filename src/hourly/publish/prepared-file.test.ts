import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/tmp.js';
import { prepareFile } from './prepared-file.js';

describe('prepareFile()', () => {
  it('prepareFile() hashes the data and shows it only on commit; abort() keeps the old file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'report.txt');
    await writeFile(path, 'old\n');
    const kept = await prepareFile(path, 'discarded\n');
    await kept.abort();
    const prepared = await prepareFile(path, 'new ü\n');
    assert.equal(await readFile(path, 'utf8'), 'old\n');
    assert.equal(prepared.sha256, createHash('sha256').update('new ü\n').digest('hex'));
    assert.equal(prepared.bytes, 7);
    await prepared.commit();
    assert.equal(await readFile(path, 'utf8'), 'new ü\n');
    assert.deepEqual(await readdir(dir), ['report.txt']);
  });
});
