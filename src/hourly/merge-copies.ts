import { createHash } from 'node:crypto';
import { compareCopies, type CopyRank, type HourCounts } from '../merge/index.js';
import type { CopyIndex } from './copy-index.js';
import { sortByU64 } from './radix-sort.js';

/** The union of an hour's copies: one winning copy per ID, and the counts of DESIGN 6. */
export interface MergedHour {
  /** Copy indices of the winning copies, in ascending ID order. */
  winners: Uint32Array;
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
    winners: winners.slice(0, total),
    counts: { serv1, serv2, total, only1, only2, diff: only1 + only2 },
    late,
  };
}

/**
 * The copy each users CSV row comes from (DESIGN 3.3): per author, the winning copy with the largest ID, in
 * ascending author order. `winners` must be in ID order; the stable sort by author keeps it within an author.
 */
export function userSources(index: CopyIndex, winners: Uint32Array): Uint32Array {
  const withAuthor = winners.filter((copy) => index.authors[copy] !== 0n);
  const byAuthor = sortByU64(withAuthor, index.authors);
  const sources: number[] = [];
  for (let i = 0; i < byAuthor.length; i++) {
    const next = byAuthor[i + 1];
    if (next === undefined || index.authors[next] !== index.authors[byAuthor[i]!]) sources.push(byAuthor[i]!);
  }
  return Uint32Array.from(sources);
}

/** The IDs file's content (one ID per line, ID order) in blocks of about `blockChars` characters. */
export function* idTextBlocks(index: CopyIndex, winners: Uint32Array, blockChars = 1 << 20): Generator<string> {
  let text = '';
  for (const copy of winners) {
    text += `${index.ids[copy]!}\n`;
    if (text.length >= blockChars) {
      yield text;
      text = '';
    }
  }
  yield text;
}

/** sha256 of the IDs file's uncompressed content: equal digests mean equal ID sets. */
export function idsDigest(index: CopyIndex, winners: Uint32Array): string {
  const hash = createHash('sha256');
  for (const block of idTextBlocks(index, winners)) hash.update(block);
  return hash.digest('hex');
}
