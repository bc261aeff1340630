import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/tmp.js';
import { moveFile } from './move-file.js';

describe('moveFile()', () => {
  it('moveFile() moves into new folders and never replaces a file already there', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a'), 'first');
    await writeFile(join(dir, 'b'), 'second');
    assert.equal(await moveFile(join(dir, 'a'), join(dir, 'q', 'x', 'file')), join(dir, 'q', 'x', 'file'));
    assert.equal(await moveFile(join(dir, 'b'), join(dir, 'q', 'x', 'file')), join(dir, 'q', 'x', 'file~1'));
    assert.deepEqual((await readdir(dir)).sort(), ['q']);
    assert.equal(await readFile(join(dir, 'q', 'x', 'file'), 'utf8'), 'first');
    assert.equal(await readFile(join(dir, 'q', 'x', 'file~1'), 'utf8'), 'second');
  });
});
