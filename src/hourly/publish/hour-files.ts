import { createHash } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import {
  csvHeader,
  csvRecord,
  tweetColumns,
  tweetRow,
  USER_COLUMNS,
  userRow,
  type CsvSchema,
  type StreamMessage,
} from '../../merge/index.js';
import { ChunkReader, isolatedReads, readFully } from '../staging/chunk-reader.js';
import type { CrashPoint } from '../crash-point.js';
import { idTextBlocks, userSources, type HourRows } from '../../merge/merge-copies.js';
import type { PreparedFile } from './prepared-file.js';
import { TextBatch } from './text-batch.js';
import { openXzFile, type XzFile, type XzOptions } from './xz-file.js';

/** Where the three files of an hour go, and how. */
export interface HourFilesRequest {
  /** The winning copies in ID order (mergeCopies). */
  rows: HourRows;
  schema: CsvSchema;
  paths: { ids: string; tweets: string; users: string };
  /** Encoder settings of the tweets and users files; the IDs file is small and gets one thread. */
  xz: XzOptions;
  /** A path for the users rows while the tweets pass runs (removed afterwards). */
  scratchPath: string;
  /** How many bytes of users rows are put in author order at a time (USERS_SLICE_BYTES; tests pass less). */
  usersSliceBytes?: number;
  /** Test hook at named steps; none in production. */
  crashPoint?: CrashPoint;
}

/** The three files, finished and fsynced under temporary names, plus the IDs content digest. */
export interface PreparedHourFiles {
  ids: PreparedFile;
  tweets: PreparedFile;
  users: PreparedFile;
  idsDigest: string;
}

/** Batches go to an encoder (or the scratch file) once this full; records rarely overflow the capacity. */
const FLUSH_BYTES = 1 << 20;
const BATCH_CAPACITY = FLUSH_BYTES + (1 << 16);
/**
 * The users rows are put in author order a slice at a time, each slice gathered in one pass over the scratch
 * file (from page cache), so memory stays bounded at any rate: the scratch file is 105 MB at the 10 % rate.
 */
const USERS_SLICE_BYTES = 16 << 20;
/** The scratch file is scanned in reads of this size. */
const SCAN_BYTES = 1 << 22;

/**
 * Writes an hour's IDs, tweets and users files (DESIGN 3.3) in one pass over the winning copies in ID order,
 * reading each line back from staging; the users rows (one per author, from the author's largest ID) are
 * parked in a scratch file (out of memory while the tweets encoder runs) and then written in author order, one
 * bounded slice at a time. Encoders are what takes memory (a preset-6 thread holds about 100 MB), so the tweets
 * file is compressed alone with every thread, then the users file with every thread; the IDs file (written from
 * the rows, no staging reads) goes alongside on one thread when it fits in one block, as at the 1% rate, else
 * after the users file with every thread.
 */
export async function writeHourFiles(request: HourFilesRequest): Promise<PreparedHourFiles> {
  const { paths, xz } = request;
  const opened: XzFile[] = [];
  const open = async (path: string, options: XzOptions) => {
    const file = await openXzFile(path, options);
    opened.push(file);
    return file;
  };
  try {
    const tweets = await open(paths.tweets, xz);
    const parked = await writeTweetsPass(request, tweets);
    const tweetsDigest = await tweets.finish();
    // Snowflake IDs take 20 bytes a line.
    const idsAlongside = request.rows.count * 20 <= xz.blockBytes;
    const users = await open(paths.users, xz);
    const usersSliceBytes = request.usersSliceBytes ?? USERS_SLICE_BYTES;
    const usersFile = async () => {
      await writeUsers(users, request.scratchPath, parked, usersSliceBytes);
      return users.finish();
    };
    // Opened only when its turn comes: an encoder takes its buffers when opened.
    const idsFile = async () => {
      const file = await open(paths.ids, idsAlongside ? { ...xz, threads: 1 } : xz);
      const content = await writeIds(file, request.rows);
      return { file, content, digest: await file.finish() };
    };
    const [usersDigest, ids] = idsAlongside
      ? await Promise.all([usersFile(), idsFile()])
      : [await usersFile(), await idsFile()];
    request.crashPoint?.('publish-files-written');
    return {
      ids: { ...ids.digest, commit: () => ids.file.commit(), abort: () => ids.file.abort() },
      tweets: { ...tweetsDigest, commit: () => tweets.commit(), abort: () => tweets.abort() },
      users: { ...usersDigest, commit: () => users.commit(), abort: () => users.abort() },
      idsDigest: ids.content,
    };
  } catch (err) {
    await Promise.all(opened.map((file) => file.abort()));
    throw err;
  } finally {
    rmSync(request.scratchPath, { force: true });
  }
}

/** Writes the IDs file from the index (no staging reads) and returns the digest of its content. */
async function writeIds(ids: XzFile, rows: HourRows): Promise<string> {
  const hash = createHash('sha256');
  for (const block of idTextBlocks(rows)) {
    hash.update(block);
    await ids.write(block);
  }
  return hash.digest('hex');
}

/** Where each users row sits in the scratch file, by rank in author order, and the ranks in file order. */
interface UserRows {
  offsets: Float64Array;
  lengths: Uint32Array;
  fileOrder: Int32Array;
}

async function writeTweetsPass(request: HourFilesRequest, tweets: XzFile): Promise<UserRows> {
  const { rows, schema } = request;
  const sources = userSources(rows);
  const userRank = new Int32Array(rows.count).fill(-1);
  sources.forEach((row, rank) => (userRank[row] = rank));
  const parked: UserRows = {
    offsets: new Float64Array(sources.length),
    lengths: new Uint32Array(sources.length),
    fileOrder: new Int32Array(sources.length),
  };
  const reader = new ChunkReader(rows.chunks.map((chunk) => chunk.dataPath));
  const isolated = isolatedReads(rows.chunkOf, rows.offsets, rows.chunks.length);
  const scratch = openSync(request.scratchPath, 'w+', 0o600);
  const tweetText = new TextBatch(BATCH_CAPACITY);
  const userText = new TextBatch(BATCH_CAPACITY);
  tweetText.append(csvHeader(tweetColumns(schema)));
  let userBytes = 0;
  let parkedCount = 0;
  try {
    for (let row = 0; row < rows.count; row++) {
      const line = reader.read(rows.chunkOf[row]!, rows.offsets[row]!, rows.lengths[row]!, isolated[row] === 1);
      const message = JSON.parse(line.toString('utf8')) as StreamMessage;
      tweetText.append(csvRecord(tweetRow(message, schema)));
      const rank = userRank[row]!;
      if (rank >= 0) {
        const length = userText.append(csvRecord(userRow(message)));
        parked.offsets[rank] = userBytes;
        parked.lengths[rank] = length;
        parked.fileOrder[parkedCount++] = rank;
        userBytes += length;
        if (userText.length >= FLUSH_BYTES) writeSync(scratch, userText.take());
      }
      if (tweetText.length >= FLUSH_BYTES) await tweets.write(tweetText.take());
    }
    writeSync(scratch, userText.take());
    await tweets.write(tweetText.take());
    request.crashPoint?.('publish-writing');
  } finally {
    reader.close();
    closeSync(scratch);
  }
  return parked;
}

/**
 * Writes the parked users rows in author order: each slice of consecutive ranks, up to `sliceBytes` of rows, is
 * gathered into place by one sequential scan of the scratch file.
 */
async function writeUsers(users: XzFile, scratchPath: string, parked: UserRows, sliceBytes: number): Promise<void> {
  const { offsets, lengths, fileOrder } = parked;
  const fd = openSync(scratchPath, 'r');
  try {
    await users.write(csvHeader(USER_COLUMNS));
    const into = new Float64Array(lengths.length);
    for (let first = 0; first < lengths.length; ) {
      // Ranks [first, end) and where each row goes in the slice.
      let size = 0;
      let end = first;
      while (end < lengths.length && (end === first || size + lengths[end]! <= sliceBytes)) {
        into[end] = size;
        size += lengths[end++]!;
      }
      const slice = Buffer.allocUnsafe(size);
      scanScratch(fd, offsets, lengths, fileOrder, (rank, window, at) => {
        if (rank >= first && rank < end) window.copy(slice, into[rank]!, at, at + lengths[rank]!);
      });
      for (let at = 0; at < size; at += FLUSH_BYTES) await users.write(slice.subarray(at, Math.min(size, at + FLUSH_BYTES)));
      first = end;
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads the scratch file front to back, calling `visit` with each row's rank and where it sits in the window. */
function scanScratch(
  fd: number,
  offsets: Float64Array,
  lengths: Uint32Array,
  fileOrder: Int32Array,
  visit: (rank: number, window: Buffer, at: number) => void,
): void {
  let window = Buffer.allocUnsafe(SCAN_BYTES);
  let start = 0;
  let end = 0;
  for (const rank of fileOrder) {
    const offset = offsets[rank]!;
    const rowEnd = offset + lengths[rank]!;
    if (rowEnd > end) {
      // Rows follow each other in the file: the next window starts at this row (a longer row gets its own).
      if (lengths[rank]! > window.length) window = Buffer.allocUnsafe(lengths[rank]!);
      start = offset;
      end = start + readFully(fd, window, window.length, start);
      if (rowEnd > end) throw new Error(`users scratch file ends at byte ${end}, before its row ending at ${rowEnd}`);
    }
    visit(rank, window, offset - start);
  }
}
