import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/tmp.js';
import { ChunkIndexBuilder } from './chunk-index.js';
import { listChunks, loadCopyIndex } from './copy-index.js';
import { chunkPath, INDEX_SUFFIX, type Server } from '../../contracts/staging-layout.js';

async function writeChunk(staging: string, server: Server, name: string, ids: bigint[], withIndex = true): Promise<void> {
  const path = chunkPath(staging, '2026-11-22T10', server, name);
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, ids.map((id) => `${id}\n`).join(''));
  if (!withIndex) return;
  const builder = new ChunkIndexBuilder();
  ids.forEach((id, i) => builder.add({ id, authorId: 0n, retrievedAtMs: i, offset: i * 2, length: 1 }));
  await writeFile(path + INDEX_SUFFIX, builder.encode());
}

describe('listChunks() and loadCopyIndex()', () => {
  it('listChunks() takes committed chunks only, server 1 first, in spool order with late replays last', async () => {
    const staging = await tempDir();
    await writeChunk(staging, 'server2', '2026-11-22T10-00Z.jsonl', [5n]);
    await writeChunk(staging, 'server1', 'late-2026-11-23T00-00-00-000Z.jsonl', [6n]);
    await writeChunk(staging, 'server1', '2026-11-22T10-05Z_10.jsonl', [4n]);
    await writeChunk(staging, 'server1', '2026-11-22T10-05Z_2.jsonl', [3n]);
    await writeChunk(staging, 'server1', '2026-11-22T10-01Z.jsonl', [1n, 2n]);
    await writeChunk(staging, 'server1', '2026-11-22T10-09Z.jsonl', [9n], false);
    const chunks = await listChunks(staging, '2026-11-22T10');
    assert.deepEqual(chunks.map((c) => c.key), [
      'server1/2026-11-22T10-01Z.jsonl',
      'server1/2026-11-22T10-05Z_2.jsonl',
      'server1/2026-11-22T10-05Z_10.jsonl',
      'server1/late-2026-11-23T00-00-00-000Z.jsonl',
      'server2/2026-11-22T10-00Z.jsonl',
    ]);
    const index = await loadCopyIndex(chunks);
    assert.equal(index.count, 6);
    assert.deepEqual([...index.ids], [1n, 2n, 3n, 4n, 6n, 5n]);
    assert.deepEqual([...index.chunkOf], [0, 0, 1, 2, 3, 4]);
    assert.deepEqual([...index.offsets], [0, 2, 0, 0, 0, 0]);
  });

  it('listChunks() of an hour without staging is empty', async () => {
    assert.deepEqual(await listChunks(await tempDir(), '2026-11-22T10'), []);
  });
});
