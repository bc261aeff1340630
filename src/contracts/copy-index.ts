import type { Server } from './staging-layout.js';

/**
 * The in-memory shape of an hour's staged copies: `hourly` loads it from staging chunks and their `.idx` files,
 * `merge` ranks and deduplicates it. Kept here so the pure merge core imports nothing from `hourly`.
 */

/** One committed chunk of an hour. */
export interface ChunkRef {
  server: Server;
  /** The spool file name it came from (or a late file's name). */
  name: string;
  /** `server/name`: how manifests name chunks. */
  key: string;
  dataPath: string;
}

/** Destination columns an index is decoded into, at `at`. */
export interface IndexColumns {
  ids: BigUint64Array;
  authors: BigUint64Array;
  retrieved: Float64Array;
  offsets: Float64Array;
  lengths: Uint32Array;
}

/**
 * Every copy of every tweet staged for an hour, in typed arrays (about 40 bytes a copy, DESIGN 6): the index of
 * copy i is position i in each column; `chunkOf[i]` points into `chunks`.
 */
export interface CopyIndex extends IndexColumns {
  count: number;
  chunkOf: Uint32Array;
  chunks: ChunkRef[];
}
