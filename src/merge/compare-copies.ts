/** Where one copy of a tweet came from, for choosing the copy whose columns are published. */
export interface CopyRank {
  retrievedAtMs: number;
  server: 'server1' | 'server2';
  fileSeq: number;
  line: number;
}

/** Copy precedence, DESIGN 3.3: earliest retrieved_at, ties server1, then earlier file, then earlier line. Negative = a wins. */
export function compareCopies(a: CopyRank, b: CopyRank): number {
  if (a.retrievedAtMs !== b.retrievedAtMs) return a.retrievedAtMs < b.retrievedAtMs ? -1 : 1;
  if (a.server !== b.server) return a.server === 'server1' ? -1 : 1;
  if (a.fileSeq !== b.fileSeq) return a.fileSeq - b.fileSeq;
  return a.line - b.line;
}
