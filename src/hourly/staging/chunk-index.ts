import type { IndexColumns } from '../../contracts/copy-index.js';

/**
 * The compact index of one staging chunk (`<chunk>.idx`): for each line of the chunk, the tweet ID, the author
 * ID (0 = none), `__meta.retrieved_at` (ms) and the line's byte offset and length. Columns are stored one after
 * another (struct of arrays), so loading an hour copies byte ranges into typed arrays without decoding records.
 * Layout: 'SSIX', u32 version, u32 count, u32 reserved, then u64 ids[n], u64 authors[n], f64 retrieved[n],
 * f64 offsets[n], u32 lengths[n]; little-endian.
 */

const MAGIC = 0x58495353; // 'SSIX' read as a little-endian u32
const VERSION = 1;
const HEADER_BYTES = 16;
/** Bytes per copy in an index file. */
export const INDEX_RECORD_BYTES = 8 + 8 + 8 + 8 + 4;
const MAX_U64 = (1n << 64n) - 1n;
/** How to repair a damaged chunk, for error messages. */
export const DAMAGED_CHUNK_FIX =
  'delete the chunk and its .idx file; to restore its lines, put its spool file back into the spool ' +
  '(from staging ingested/ when keep_spool_h is set) and run hourly again';

/** One line of a chunk, as ingest records it. */
export interface IndexEntry {
  id: bigint;
  authorId: bigint;
  retrievedAtMs: number;
  offset: number;
  length: number;
}

/** Decimal ID string -> u64, or null when it does not fit (such a tweet is counted as invalid). */
export function idToU64(id: string | null): bigint | null {
  if (id === null || id.length > 20) return null;
  const value = BigInt(id);
  return value > 0n && value <= MAX_U64 ? value : null;
}

/** Collects a chunk's entries while ingest writes its lines. */
export class ChunkIndexBuilder {
  #ids = new BigUint64Array(256);
  #authors = new BigUint64Array(256);
  #retrieved = new Float64Array(256);
  #offsets = new Float64Array(256);
  #lengths = new Uint32Array(256);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  add(entry: IndexEntry): void {
    if (this.#count === this.#ids.length) this.#grow();
    const i = this.#count++;
    this.#ids[i] = entry.id;
    this.#authors[i] = entry.authorId;
    this.#retrieved[i] = entry.retrievedAtMs;
    this.#offsets[i] = entry.offset;
    this.#lengths[i] = entry.length;
  }

  /** The index file's bytes. */
  encode(): Buffer {
    const n = this.#count;
    const out = Buffer.alloc(HEADER_BYTES + n * INDEX_RECORD_BYTES);
    out.writeUInt32LE(MAGIC, 0);
    out.writeUInt32LE(VERSION, 4);
    out.writeUInt32LE(n, 8);
    let at = HEADER_BYTES;
    for (const column of [this.#ids, this.#authors, this.#retrieved, this.#offsets, this.#lengths]) {
      const bytes = new Uint8Array(column.buffer, 0, n * column.BYTES_PER_ELEMENT);
      out.set(bytes, at);
      at += bytes.length;
    }
    return out;
  }

  #grow(): void {
    const size = this.#ids.length * 2;
    const grow = <T extends BigUint64Array | Float64Array | Uint32Array>(old: T, make: (n: number) => T): T => {
      const next = make(size);
      next.set(old as never);
      return next;
    };
    this.#ids = grow(this.#ids, (n) => new BigUint64Array(n));
    this.#authors = grow(this.#authors, (n) => new BigUint64Array(n));
    this.#retrieved = grow(this.#retrieved, (n) => new Float64Array(n));
    this.#offsets = grow(this.#offsets, (n) => new Float64Array(n));
    this.#lengths = grow(this.#lengths, (n) => new Uint32Array(n));
  }
}

/** Number of entries in an index file of `bytes` bytes; throws when the size cannot be an index. */
export function indexEntryCount(bytes: number, path: string): number {
  const count = (bytes - HEADER_BYTES) / INDEX_RECORD_BYTES;
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`Cannot read chunk index ${path}: its size ${bytes} is not a whole number of entries; ${DAMAGED_CHUNK_FIX}`);
  }
  return count;
}

/** Copies the entries of index file bytes `raw` into `columns` starting at `at`; returns the entry count. */
export function decodeIndexInto(raw: Uint8Array, path: string, columns: IndexColumns, at: number): number {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.byteLength < HEADER_BYTES || view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) {
    throw new Error(`Cannot read chunk index ${path}: it is not a version ${VERSION} index; ${DAMAGED_CHUNK_FIX}`);
  }
  const n = view.getUint32(8, true);
  if (indexEntryCount(raw.byteLength, path) !== n) {
    throw new Error(`Cannot read chunk index ${path}: header says ${n} entries, its size says otherwise; ${DAMAGED_CHUNK_FIX}`);
  }
  let from = HEADER_BYTES;
  for (const column of [columns.ids, columns.authors, columns.retrieved, columns.offsets, columns.lengths]) {
    const width = column.BYTES_PER_ELEMENT;
    new Uint8Array(column.buffer, column.byteOffset + at * width, n * width).set(raw.subarray(from, from + n * width));
    from += n * width;
  }
  return n;
}
