import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/tmp.js';
import { ChunkReader } from './chunk-reader.js';

describe('ChunkReader', () => {
  it('read() returns the asked bytes in any order across more chunks than it keeps open', async () => {
    const dir = await tempDir();
    const paths: string[] = [];
    const texts: string[] = [];
    for (let c = 0; c < 5; c++) {
      // 3 MB per chunk: several windows each.
      const text = Array.from({ length: 60_000 }, (_, i) => `chunk ${c} line ${String(i).padStart(6, '0')} ü😀 padding padding\n`).join('');
      paths.push(join(dir, `c${c}`));
      texts.push(text);
      await writeFile(paths[c]!, text);
    }
    const reader = new ChunkReader(paths, 2);
    try {
      let seed = 3;
      for (let k = 0; k < 2000; k++) {
        seed = (seed * 48271) % 2147483647;
        const c = seed % 5;
        const bytes = Buffer.from(texts[c]!);
        const offset = (seed >> 3) % (bytes.length - 100);
        assert.deepEqual(reader.read(c, offset, 100), bytes.subarray(offset, offset + 100));
      }
      const last = Buffer.from(texts[4]!);
      assert.deepEqual(reader.read(4, last.length - 10, 10), last.subarray(last.length - 10));
    } finally {
      reader.close();
    }
  });

  it('read() past the end of a chunk fails naming the file and the fix', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'short'), 'abc');
    const reader = new ChunkReader([join(dir, 'short')]);
    try {
      assert.throws(() => reader.read(0, 2, 5), /Cannot read staging chunk .*short at offset 2: .*delete the chunk/);
    } finally {
      reader.close();
    }
  });
});
