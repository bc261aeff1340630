import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
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
import { ChunkReader, isolatedReads } from '../staging/chunk-reader.js';
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
 * Writes an hour's IDs, tweets and users files (DESIGN 3.3) in one pass over the winning copies in ID order,
 * reading each line back from staging; the users rows (one per author, from the author's largest ID) are
 * parked in a scratch file (out of memory while the tweets encoder runs) and then, read back whole, written in
 * author order. Encoders are what takes memory (a preset-6
 * thread holds about 100 MB), so the tweets file is compressed alone with every thread, then the users file
 * with every thread; the IDs file (written from the rows, no staging reads) goes alongside on one thread when
 * it fits in one block, as at the 1% rate, else after the users file with every thread.
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
    const ids = await open(paths.ids, idsAlongside ? { ...xz, threads: 1 } : xz);
    const usersFile = () => writeUsers(users, request.scratchPath, parked).then(() => users.finish());
    const idsFile = () => writeIds(ids, request.rows).then(async (content) => ({ content, file: await ids.finish() }));
    const [usersDigest, idsDigests] = idsAlongside
      ? await Promise.all([usersFile(), idsFile()])
      : [await usersFile(), await idsFile()];
    request.crashPoint?.('publish-files-written');
    return {
      ids: { ...idsDigests.file, commit: () => ids.commit(), abort: () => ids.abort() },
      tweets: { ...tweetsDigest, commit: () => tweets.commit(), abort: () => tweets.abort() },
      users: { ...usersDigest, commit: () => users.commit(), abort: () => users.abort() },
      idsDigest: idsDigests.content,
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

/** Where each users row sits in the scratch file, by rank in author order. */
interface UserRows {
  offsets: Float64Array;
  lengths: Uint32Array;
}

async function writeTweetsPass(request: HourFilesRequest, tweets: XzFile): Promise<UserRows> {
  const { rows, schema } = request;
  const sources = userSources(rows);
  const userRank = new Int32Array(rows.count).fill(-1);
  sources.forEach((row, rank) => (userRank[row] = rank));
  const parked: UserRows = { offsets: new Float64Array(sources.length), lengths: new Uint32Array(sources.length) };
  const reader = new ChunkReader(rows.chunks.map((chunk) => chunk.dataPath));
  const isolated = isolatedReads(rows.chunkOf, rows.offsets, rows.chunks.length);
  const scratch = openSync(request.scratchPath, 'w+', 0o600);
  const tweetText = new TextBatch(BATCH_CAPACITY);
  const userText = new TextBatch(BATCH_CAPACITY);
  tweetText.append(csvHeader(tweetColumns(schema)));
  let userBytes = 0;
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

/** Writes the parked users rows in author order, from the scratch file read back whole (it is in page cache). */
async function writeUsers(users: XzFile, scratchPath: string, parked: UserRows): Promise<void> {
  const parkedText = readFileSync(scratchPath);
  const batch = new TextBatch(BATCH_CAPACITY);
  batch.append(csvHeader(USER_COLUMNS));
  for (let rank = 0; rank < parked.lengths.length; rank++) {
    const offset = parked.offsets[rank]!;
    batch.appendBytes(parkedText, offset, offset + parked.lengths[rank]!);
    if (batch.length >= FLUSH_BYTES) await users.write(batch.take());
  }
  await users.write(batch.take());
}
