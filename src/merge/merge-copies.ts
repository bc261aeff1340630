import { createHash } from 'node:crypto';
import { compareCopies, type CopyRank } from './compare-copies.js';
import { type HourCounts } from '../contracts/index.js';
import type { ChunkRef, CopyIndex } from '../contracts/copy-index.js';
import { sortByU64 } from './radix-sort.js';

/**
 * The winning copy of each ID of an hour, in ascending ID order: all the files are written from. Row i of each
 * column is the i-th ID. Only these rows stay in memory once the merge is done (about half of all copies).
 */
export interface HourRows {
  count: number;
  ids: BigUint64Array;
  /** 0 = no author. */
  authors: BigUint64Array;
  chunkOf: Uint32Array;
  offsets: Float64Array;
  lengths: Uint32Array;
  chunks: readonly ChunkRef[];
}

/** The union of an hour's copies: one row per ID, and the counts of DESIGN 6. */
export interface MergedHour {
  rows: HourRows;
  counts: HourCounts;
  /** IDs with no copy in the chunks of the hour's first publication (0 for a first publication). */
  late: number;
}

function rankOf(index: CopyIndex, copy: number): CopyRank {
  const chunk = index.chunkOf[copy]!;
  return {
    retrievedAtMs: index.retrieved[copy]!,
    server: index.chunks[chunk]!.server,
    fileSeq: chunk,
    // Offsets grow with the line number within a chunk, so they order lines the same way.
    line: index.offsets[copy]!,
  };
}

function rowsOf(index: CopyIndex, winners: Uint32Array): HourRows {
  const pick = <T extends BigUint64Array | Float64Array | Uint32Array>(column: T, make: (n: number) => T): T => {
    const out = make(winners.length);
    for (let i = 0; i < winners.length; i++) out[i] = column[winners[i]!]!;
    return out;
  };
  return {
    count: winners.length,
    ids: pick(index.ids, (n) => new BigUint64Array(n)),
    authors: pick(index.authors, (n) => new BigUint64Array(n)),
    chunkOf: pick(index.chunkOf, (n) => new Uint32Array(n)),
    offsets: pick(index.offsets, (n) => new Float64Array(n)),
    lengths: pick(index.lengths, (n) => new Uint32Array(n)),
    chunks: index.chunks,
  };
}

/**
 * Merges the copies (DESIGN 3.3, 6): sorts them by ID, keeps for each ID the copy whose columns win
 * (compareCopies), and counts unique IDs per server. `firstChunkKeys` are the chunks of the first publication.
 */
export function mergeCopies(index: CopyIndex, firstChunkKeys: ReadonlySet<string> | null): MergedHour {
  const order = new Uint32Array(index.count);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const sorted = sortByU64(order, index.ids);
  const isServer2 = Uint8Array.from(index.chunks, (c) => (c.server === 'server2' ? 1 : 0));
  const inFirst = Uint8Array.from(index.chunks, (c) => (firstChunkKeys === null || firstChunkKeys.has(c.key) ? 1 : 0));
  const winners = new Uint32Array(index.count);
  let total = 0;
  let serv1 = 0;
  let serv2 = 0;
  let both = 0;
  let late = 0;
  for (let i = 0; i < sorted.length; ) {
    const id = index.ids[sorted[i]!]!;
    let j = i + 1;
    while (j < sorted.length && index.ids[sorted[j]!] === id) j++;
    let winner = sorted[i]!;
    let has1 = 0;
    let has2 = 0;
    let seenFirst = 0;
    for (let k = i; k < j; k++) {
      const copy = sorted[k]!;
      const chunk = index.chunkOf[copy]!;
      if (isServer2[chunk]) has2 = 1;
      else has1 = 1;
      seenFirst |= inFirst[chunk]!;
      if (k > i && compareCopies(rankOf(index, copy), rankOf(index, winner)) < 0) winner = copy;
    }
    winners[total++] = winner;
    serv1 += has1;
    serv2 += has2;
    both += has1 & has2;
    if (!seenFirst) late++;
    i = j;
  }
  const only1 = serv1 - both;
  const only2 = serv2 - both;
  return {
    rows: rowsOf(index, winners.subarray(0, total)),
    counts: { serv1, serv2, total, only1, only2, diff: only1 + only2 },
    late,
  };
}

/**
 * The rows each users CSV row comes from (DESIGN 3.3): per author, the row with the largest ID, in ascending
 * author order. Rows are in ID order, and the stable sort by author keeps that order within an author.
 */
export function userSources(rows: HourRows): Uint32Array {
  const withAuthor: number[] = [];
  for (let row = 0; row < rows.count; row++) if (rows.authors[row] !== 0n) withAuthor.push(row);
  const byAuthor = sortByU64(Uint32Array.from(withAuthor), rows.authors);
  const sources: number[] = [];
  for (let i = 0; i < byAuthor.length; i++) {
    const next = byAuthor[i + 1];
    if (next === undefined || rows.authors[next] !== rows.authors[byAuthor[i]!]) sources.push(byAuthor[i]!);
  }
  return Uint32Array.from(sources);
}

/** The IDs file's content (one ID per line, ID order) in blocks of about `blockChars` characters. */
export function* idTextBlocks(rows: HourRows, blockChars = 1 << 20): Generator<string> {
  let text = '';
  for (let row = 0; row < rows.count; row++) {
    text += `${rows.ids[row]!}\n`;
    if (text.length >= blockChars) {
      yield text;
      text = '';
    }
  }
  yield text;
}

/** sha256 of the IDs file's uncompressed content: equal digests mean equal ID sets. */
export function idsDigest(rows: HourRows): string {
  const hash = createHash('sha256');
  for (const block of idTextBlocks(rows)) hash.update(block);
  return hash.digest('hex');
}
