import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ChunkRef, CopyIndex } from '../contracts/copy-index.js';
import { idsDigest, idTextBlocks, mergeCopies, userSources } from './merge-copies.js';
import type { Server } from '../contracts/staging-layout.js';

interface Copy {
  chunk: number;
  id: bigint;
  author?: bigint;
  retrievedAtMs: number;
  offset?: number;
}

function indexOf(chunks: Array<[Server, string]>, copies: Copy[]): CopyIndex {
  const refs: ChunkRef[] = chunks.map(([server, name]) => ({ server, name, key: `${server}/${name}`, dataPath: `/x/${server}/${name}` }));
  return {
    count: copies.length,
    ids: BigUint64Array.from(copies, (c) => c.id),
    authors: BigUint64Array.from(copies, (c) => c.author ?? 0n),
    retrieved: Float64Array.from(copies, (c) => c.retrievedAtMs),
    offsets: Float64Array.from(copies, (c, i) => c.offset ?? i * 10),
    lengths: Uint32Array.from(copies, () => 9),
    chunkOf: Uint32Array.from(copies, (c) => c.chunk),
    chunks: refs,
  };
}

const CHUNKS: Array<[Server, string]> = [
  ['server1', 'a.jsonl'],
  ['server1', 'b.jsonl'],
  ['server2', 'a.jsonl'],
];

describe('mergeCopies()', () => {
  it('mergeCopies() keeps one row per ID in ID order, earliest retrieved_at first, then server 1, file, line', () => {
    const index = indexOf(CHUNKS, [
      { chunk: 2, id: 30n, retrievedAtMs: 5 }, // 0: wins for 30 (earliest)
      { chunk: 0, id: 30n, retrievedAtMs: 6 }, // 1
      { chunk: 2, id: 10n, retrievedAtMs: 5 }, // 2
      { chunk: 0, id: 10n, retrievedAtMs: 5 }, // 3: wins for 10 (tie: server 1)
      { chunk: 1, id: 20n, retrievedAtMs: 7, offset: 50 }, // 4
      { chunk: 0, id: 20n, retrievedAtMs: 7, offset: 90 }, // 5: wins for 20 (tie: earlier file)
      { chunk: 0, id: 40n, retrievedAtMs: 9, offset: 40 }, // 6
      { chunk: 0, id: 40n, retrievedAtMs: 9, offset: 20 }, // 7: wins for 40 (tie: earlier line)
      { chunk: 2, id: 2n ** 63n + 5n, retrievedAtMs: Number.POSITIVE_INFINITY }, // 8: only copy, no retrieved_at
    ]);
    const merged = mergeCopies(index, null);
    // The rows are the winning copies 3, 5, 0, 7 and 8, in ID order.
    assert.deepEqual([...merged.rows.ids], [10n, 20n, 30n, 40n, 2n ** 63n + 5n]);
    assert.deepEqual([...merged.rows.chunkOf], [0, 0, 2, 0, 2]);
    assert.deepEqual([...merged.rows.offsets], [30, 90, 0, 20, 80]);
    assert.deepEqual(merged.counts, { serv1: 4, serv2: 3, total: 5, only1: 2, only2: 1, diff: 3 });
    assert.equal(merged.late, 0);
  });

  it('mergeCopies() counts as late the IDs with no copy in the first publication chunks', () => {
    const index = indexOf(CHUNKS, [
      { chunk: 0, id: 1n, retrievedAtMs: 1 },
      { chunk: 2, id: 1n, retrievedAtMs: 2 },
      { chunk: 2, id: 2n, retrievedAtMs: 2 },
      { chunk: 1, id: 3n, retrievedAtMs: 2 },
    ]);
    assert.equal(mergeCopies(index, new Set(['server1/a.jsonl'])).late, 2);
  });

  it('mergeCopies() of an empty hour has no rows and zero counts', () => {
    const merged = mergeCopies(indexOf([], []), null);
    assert.equal(merged.rows.count, 0);
    assert.deepEqual(merged.counts, { serv1: 0, serv2: 0, total: 0, only1: 0, only2: 0, diff: 0 });
  });
});

describe('userSources()', () => {
  it('userSources() picks per author the row with the largest ID, in author order, skipping copies without author', () => {
    const index = indexOf(CHUNKS, [
      { chunk: 0, id: 5n, author: 900n, retrievedAtMs: 1 },
      { chunk: 0, id: 7n, author: 100n, retrievedAtMs: 1 },
      { chunk: 0, id: 9n, author: 900n, retrievedAtMs: 1 },
      { chunk: 0, id: 3n, author: 100n, retrievedAtMs: 1 },
      { chunk: 0, id: 4n, retrievedAtMs: 1 },
    ]);
    const { rows } = mergeCopies(index, null);
    // Rows in ID order: 3 (author 100), 4 (none), 5 (900), 7 (100), 9 (900).
    assert.deepEqual([...userSources(rows)], [3, 4]);
  });
});

describe('idsDigest()', () => {
  it('idsDigest() is the sha256 of the IDs file text, whatever the block size', () => {
    const index = indexOf(CHUNKS, [
      { chunk: 0, id: 12n, retrievedAtMs: 1 },
      { chunk: 0, id: 3n, retrievedAtMs: 1 },
    ]);
    const { rows } = mergeCopies(index, null);
    assert.equal(idsDigest(rows), createHash('sha256').update('3\n12\n').digest('hex'));
    assert.deepEqual([...idTextBlocks(rows, 2)], ['3\n', '12\n', '']);
  });
});
