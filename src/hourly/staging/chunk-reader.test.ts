import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/tmp.js';
import { ChunkReader, isolatedReads } from './chunk-reader.js';

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

  it('an isolated read outside the window returns its bytes and leaves the window in place', async () => {
    const dir = await tempDir();
    const text = Buffer.from(Array.from({ length: 200_000 }, (_, i) => `line ${String(i).padStart(7, '0')} ü😀\n`).join(''));
    await writeFile(join(dir, 'c'), text);
    const reader = new ChunkReader([join(dir, 'c')]);
    try {
      const far = text.length - 50;
      assert.deepEqual(reader.read(0, 1000, 30), text.subarray(1000, 1030));
      assert.deepEqual(reader.read(0, far, 40, true), text.subarray(far, far + 40));
      assert.deepEqual(reader.read(0, 1030, 30), text.subarray(1030, 1060));
      assert.deepEqual(reader.read(0, 0, 10, true), text.subarray(0, 10), 'inside the window');
      assert.throws(() => reader.read(0, text.length - 5, 10, true), /Cannot read staging chunk .* at offset \d+: .*delete the chunk/);
    } finally {
      reader.close();
    }
  });
});

describe('isolatedReads()', () => {
  const MB = 1 << 20;
  const cases: Array<{ name: string; chunks: number[]; offsets: number[]; isolated: number[] }> = [
    { name: 'neighbours close together', chunks: [0, 0, 0], offsets: [0, 100, 50], isolated: [0, 0, 0] },
    { name: 'a late copy far from both neighbours', chunks: [0, 0, 0, 0, 0], offsets: [0, 100, 9 * MB, 200, 300], isolated: [0, 0, 1, 0, 0] },
    { name: 'a lone read of a chunk', chunks: [0, 0, 1, 0], offsets: [0, 5, 5 * MB, 10], isolated: [0, 0, 1, 0] },
    { name: 'far reads near each other', chunks: [0, 0, 0, 0, 0, 0], offsets: [0, 5, 9 * MB, 9 * MB + 10, 20, 30], isolated: [0, 0, 0, 0, 0, 0] },
    { name: 'a missing neighbour counts as far', chunks: [0, 0, 0], offsets: [0, 9 * MB, 200], isolated: [1, 1, 1] },
    { name: 'neighbours in the same chunk, other chunks between', chunks: [0, 0, 1, 1, 0], offsets: [0, 5, 7 * MB, 7 * MB, 30], isolated: [0, 0, 0, 0, 0] },
  ];
  for (const { name, chunks, offsets, isolated } of cases) {
    it(name, () => {
      assert.deepEqual([...isolatedReads(Uint32Array.from(chunks), Float64Array.from(offsets), 2)], isolated);
    });
  }
});
