import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/tmp.js';
import { openXzFile } from './xz-file.js';

const options = { preset: 1, threads: 2, blockBytes: 1 << 20 };

describe('openXzFile()', () => {
  it('finish() compresses to a valid multi-block xz file, hashed, and commit() makes it visible', async () => {
    const dir = await tempDir();
    const path = join(dir, 'a.txt.xz');
    const file = await openXzFile(path, options);
    const text = Array.from({ length: 200_000 }, (_, i) => `${i * 7919} ünïcode 😀\n`).join('');
    await file.write(text.slice(0, 1000));
    await file.write(Buffer.from(text.slice(1000)));
    const digest = await file.finish();
    assert.deepEqual(await readdir(dir).then((n) => n.filter((x) => !x.startsWith('.'))), [], 'invisible before commit');
    await file.commit();
    const bytes = await readFile(path);
    assert.equal(digest.bytes, bytes.length);
    assert.equal(digest.sha256, createHash('sha256').update(bytes).digest('hex'));
    execFileSync('xz', ['-t', path]);
    assert.equal(execFileSync('xz', ['-dc', path], { encoding: 'utf8', maxBuffer: 1 << 26 }), text);
    assert.match(execFileSync('xz', ['-l', path], { encoding: 'utf8' }), /\s+1\s+[2-9]\d*\s/, 'several blocks');
  });

  it('finish() of an empty input is a valid empty xz file', async () => {
    const dir = await tempDir();
    const file = await openXzFile(join(dir, 'empty.xz'), options);
    await file.finish();
    await file.commit();
    assert.equal(execFileSync('xz', ['-dc', join(dir, 'empty.xz')], { encoding: 'utf8' }), '');
  });

  it('abort() removes the temporary file and leaves an existing file untouched', async () => {
    const dir = await tempDir();
    const path = join(dir, 'b.xz');
    const first = await openXzFile(path, options);
    await first.write('old\n');
    await first.finish();
    await first.commit();
    const second = await openXzFile(path, options);
    await second.write('new\n');
    await second.abort();
    assert.deepEqual(await readdir(dir), ['b.xz']);
    assert.equal(execFileSync('xz', ['-dc', path], { encoding: 'utf8' }), 'old\n');
  });
});
