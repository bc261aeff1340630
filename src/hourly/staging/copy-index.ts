import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSpoolName } from '../../contracts/index.js';
import { namesIn } from '../../platform/optional-files.js';
import { decodeIndexInto, indexEntryCount } from './chunk-index.js';
import type { ChunkRef, CopyIndex } from '../../contracts/copy-index.js';
import { hourStagingDir, INDEX_SUFFIX, SERVERS } from '../../contracts/staging-layout.js';

function chunkOrder(name: string): [number, number] {
  const parsed = parseSpoolName(name);
  return parsed === null ? [Number.POSITIVE_INFINITY, 0] : [parsed.minuteStartMs, parsed.segment];
}

/** An hour's committed chunks (those with an index), server 1 first, each server's in spool order (DESIGN 3.3 ties). */
export async function listChunks(staging: string, hourKey: string): Promise<ChunkRef[]> {
  const chunks: ChunkRef[] = [];
  for (const server of SERVERS) {
    const dir = join(hourStagingDir(staging, hourKey), server);
    const committed = (await namesIn(dir))
      .filter((name) => !name.startsWith('.') && name.endsWith(INDEX_SUFFIX))
      .map((name) => name.slice(0, -INDEX_SUFFIX.length))
      .sort((a, b) => {
        const [ma, sa] = chunkOrder(a);
        const [mb, sb] = chunkOrder(b);
        return ma !== mb ? (ma < mb ? -1 : 1) : sa !== sb ? sa - sb : a < b ? -1 : a > b ? 1 : 0;
      });
    for (const name of committed) chunks.push({ server, name, key: `${server}/${name}`, dataPath: join(dir, name) });
  }
  return chunks;
}

/** Loads the indexes of `chunks` into one CopyIndex. */
export async function loadCopyIndex(chunks: readonly ChunkRef[]): Promise<CopyIndex> {
  const sizes = await Promise.all(chunks.map(async (c) => (await stat(c.dataPath + INDEX_SUFFIX)).size));
  const counts = sizes.map((size, i) => indexEntryCount(size, chunks[i]!.dataPath + INDEX_SUFFIX));
  const count = counts.reduce((a, b) => a + b, 0);
  const index: CopyIndex = {
    count,
    ids: new BigUint64Array(count),
    authors: new BigUint64Array(count),
    retrieved: new Float64Array(count),
    offsets: new Float64Array(count),
    lengths: new Uint32Array(count),
    chunkOf: new Uint32Array(count),
    chunks: [...chunks],
  };
  let at = 0;
  for (let c = 0; c < chunks.length; c++) {
    const path = chunks[c]!.dataPath + INDEX_SUFFIX;
    const n = decodeIndexInto(await readFile(path), path, index, at);
    index.chunkOf.fill(c, at, at + n);
    at += n;
  }
  return index;
}
