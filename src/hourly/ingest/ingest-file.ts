import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { once } from 'node:events';
import { openAtomicWriter, writeFileAtomic, type AtomicFileWriter } from '../../platform/atomic-write.js';
import { retrievedAtMs, tweetKey, type StreamMessage } from '../../merge/index.js';
import { HOUR_MS } from '../../contracts/index.js';
import { ChunkIndexBuilder, idToU64 } from '../staging/chunk-index.js';
import type { CrashPoint } from '../crash-point.js';
import { hourKey } from '../../contracts/hour-label.js';
import { createdSkew } from './created-skew.js';
import { isOverlong, LineSplitter, MAX_LINE_BYTES, type SplitLine } from './line-splitter.js';
import type { SpoolFile } from '../../contracts/index.js';
import { chunkPath, INDEX_SUFFIX, OTHER_SUFFIX } from '../../contracts/staging-layout.js';

/** A file to ingest: a spool file, or a late file staged like one (its size is not needed). */
export type IngestSource = Omit<SpoolFile, 'bytes'>;

/** Line counts of one ingested file (DESIGN 6: bad input is counted, never fatal). */
export interface LineCounts {
  lines: number;
  tweets: number;
  /** Not JSON, or JSON but not an object, or longer than MAX_LINE_BYTES. */
  malformed: number;
  /** A `data` member without a usable id or created_at. */
  invalid: number;
  /** Messages without `data` (error-only messages): kept in the spool record, not in the hourly files. */
  nonTweet: number;
  /** Tweets whose created_at is outside the window around their receipt: quarantined, not staged. */
  skewed: number;
}

/** What one spool file fed. */
export interface FileIngest {
  counts: LineCounts;
  /** sha256 of the file when an expected one was given and it differed: nothing was staged. */
  mismatchSha256: string | null;
  /** UTC hour keys of the chunks written. */
  stagedHours: string[];
  /** Lines for hours whose staging is closed, by hour key, to append to `late/`. */
  lateLines: Map<string, Buffer[]>;
}

/** Where one file's lines go besides staging. */
interface KeptLines {
  other: Buffer[];
  rejected: Buffer[];
  skewed: Buffer[];
}

/** What ingesting one file needs. */
export interface FileIngestDeps {
  staging: string;
  /** Whether an hour's staging was removed (its arrivals go to `late/`). */
  isClosed(hourKey: string): Promise<boolean>;
  /** sha256 that server 2's sync recorded for this file, or null when there is none to check. */
  expectedSha256: string | null;
  /** Keep the lines that are not tweets, by receipt hour, for the raw archive (`archive_raw`). */
  keepOther: boolean;
  /**
   * Where this file's malformed, invalid and over-long lines are kept (issue 15.5); null for late files,
   * which hold only lines ingest already accepted.
   */
  rejectedPath: string | null;
  /**
   * The created_at window (issue 15.4) and where this file's tweets outside it are kept; null for late files,
   * whose lines passed the window when first ingested.
   */
  createdWindow: { maxBeforeMs: number; quarantinePath: string } | null;
  /** Test hook at named steps (kill -9 tests); none in production. */
  crashPoint?: CrashPoint;
}

const NEWLINE = Buffer.from('\n');
const READ_CHUNK_BYTES = 1 << 20;

/** An open chunk: its data file being written and its index being built. */
interface OpenChunk {
  key: string;
  writer: AtomicFileWriter;
  index: ChunkIndexBuilder;
  pending: Buffer[];
  offset: number;
}

type Route = OpenChunk | { key: string; late: Buffer[] };

/** Zero counts. */
export function emptyCounts(): LineCounts {
  return { lines: 0, tweets: 0, malformed: 0, invalid: 0, nonTweet: 0, skewed: 0 };
}

function parseLine(line: Buffer): StreamMessage | null {
  try {
    const value: unknown = JSON.parse(line.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as StreamMessage) : null;
  } catch {
    return null;
  }
}

/**
 * Routes every tweet line of one spool file into a chunk per created_at hour (DESIGN 6). Chunks are written
 * under names derived from the spool file, so ingesting the same file again after a crash rewrites the same
 * chunks (staging is at least once, the merge deduplicates). Nothing is committed when the sha256 differs.
 */
export async function ingestSpoolFile(file: IngestSource, deps: FileIngestDeps): Promise<FileIngest> {
  const counts = emptyCounts();
  const routes = new Map<number, Route>();
  const kept: KeptLines = { other: [], rejected: [], skewed: [] };
  const hash: Hash | null = deps.expectedSha256 === null ? null : createHash('sha256');
  const splitter = new LineSplitter();
  try {
    for await (const chunk of createReadStream(file.path, { highWaterMark: READ_CHUNK_BYTES })) {
      hash?.update(chunk as Buffer);
      await routeLines(splitter.push(chunk as Buffer), file, deps, routes, counts, kept);
      await flushPending(routes);
    }
    const last = splitter.end();
    if (last !== null) await routeLines([last], file, deps, routes, counts, kept);
    await flushPending(routes);
  } catch (err) {
    await abortAll(routes);
    throw err;
  }
  const actual = hash?.digest('hex') ?? null;
  if (actual !== null && actual !== deps.expectedSha256) {
    await abortAll(routes);
    return { counts, mismatchSha256: actual, stagedHours: [], lateLines: new Map() };
  }
  // Kept before the spool file can be deleted; a re-run rewrites the same file, so nothing is kept twice.
  if (kept.rejected.length > 0 && deps.rejectedPath !== null) {
    await writeFileAtomic(deps.rejectedPath, Buffer.concat(kept.rejected));
  }
  if (kept.skewed.length > 0 && deps.createdWindow !== null) {
    await writeFileAtomic(deps.createdWindow.quarantinePath, Buffer.concat(kept.skewed));
  }
  const result = await commitRoutes(file, deps, routes, counts);
  const { other } = kept;
  // Lines that are not tweets belong to the hour they were received in (raw archive); for an hour already
  // closed they go with its staging, as the archive of a closed hour is not rebuilt.
  if (other.length > 0) {
    const receiptHour = hourKey(Math.floor(file.minuteStartMs / HOUR_MS) * HOUR_MS);
    await writeFileAtomic(chunkPath(deps.staging, receiptHour, file.server, file.name) + OTHER_SUFFIX, Buffer.concat(other));
  }
  return result;
}

/** A tweet line's routing data. */
interface ParsedLine {
  hourMs: number;
  id: bigint;
  authorId: bigint;
  retrievedAtMs: number;
}

function isBlank(line: Buffer): boolean {
  return line.length === 0 || (line.length === 1 && line[0] === 0x0d);
}

/** Why a line was rejected (kept under `<state>/quarantine/rejected/`). */
interface Rejection {
  reason: string;
}

const OVERLONG_REASON = `line longer than ${MAX_LINE_BYTES / (1024 * 1024)} MB`;

/** One rejected line as a JSON line: where it was, why, and its bytes (base64 when they are not UTF-8). */
export function rejectedRecord(source: string, lineNo: number, reason: string, bytes: Buffer, length = bytes.length): Buffer {
  const raw = isUtf8(bytes) ? { raw: bytes.toString('utf8') } : { raw_base64: bytes.toString('base64') };
  return Buffer.from(`${JSON.stringify({ file: source, line: lineNo, reason, length, ...raw })}\n`);
}

/** A tweet outside the created_at window. */
interface Skewed {
  skewed: true;
}

function parseTweetLine(
  line: Buffer,
  counts: LineCounts,
  file: IngestSource,
  window: FileIngestDeps['createdWindow'],
): ParsedLine | Rejection | Skewed | null {
  counts.lines++;
  if (isBlank(line)) return null;
  const message = parseLine(line);
  if (message === null) {
    counts.malformed++;
    return { reason: 'not a JSON object' };
  }
  const key = tweetKey(message);
  const id = key === null ? null : idToU64(key.id);
  if (key === null || id === null) {
    if (message.data === undefined) {
      counts.nonTweet++;
      return null;
    }
    counts.invalid++;
    return { reason: 'data without a usable id or created_at' };
  }
  const retrieved = retrievedAtMs(message);
  // Without a readable __meta.retrieved_at the spool file's minute is the receipt time.
  const receivedAtMs = Number.isFinite(retrieved) ? retrieved : file.minuteStartMs;
  if (window !== null && createdSkew(key.createdAtMs, receivedAtMs, window.maxBeforeMs) !== 'ok') {
    counts.skewed++;
    return { skewed: true };
  }
  counts.tweets++;
  return {
    hourMs: Math.floor(key.createdAtMs / HOUR_MS) * HOUR_MS,
    id,
    authorId: idToU64(key.authorId) ?? 0n,
    retrievedAtMs: retrieved,
  };
}

async function routeLines(
  lines: readonly SplitLine[],
  file: IngestSource,
  deps: FileIngestDeps,
  routes: Map<number, Route>,
  counts: LineCounts,
  kept: KeptLines,
): Promise<void> {
  for (const line of lines) {
    if (isOverlong(line)) {
      counts.lines++;
      counts.malformed++;
      kept.rejected.push(rejectedRecord(file.relativePath, counts.lines, OVERLONG_REASON, line.head, line.length));
      continue;
    }
    const parsed = parseTweetLine(line, counts, file, deps.createdWindow);
    if (parsed !== null && 'skewed' in parsed) {
      kept.skewed.push(Buffer.from(line), NEWLINE);
      continue;
    }
    if (parsed === null || 'reason' in parsed) {
      if (parsed !== null) kept.rejected.push(rejectedRecord(file.relativePath, counts.lines, parsed.reason, line));
      // The raw archive keeps every line the spool had that is not a tweet, rejected ones included (DESIGN 3.3).
      if (deps.keepOther && !isBlank(line)) kept.other.push(Buffer.from(line), NEWLINE);
      continue;
    }
    let route = routes.get(parsed.hourMs);
    if (route === undefined) {
      route = await openRoute(hourKey(parsed.hourMs), file, deps);
      routes.set(parsed.hourMs, route);
    }
    if ('late' in route) {
      route.late.push(Buffer.from(line));
      continue;
    }
    route.index.add({
      id: parsed.id,
      authorId: parsed.authorId,
      retrievedAtMs: parsed.retrievedAtMs,
      offset: route.offset,
      length: line.length,
    });
    route.pending.push(line, NEWLINE);
    route.offset += line.length + 1;
  }
}

async function openRoute(key: string, file: IngestSource, deps: FileIngestDeps): Promise<Route> {
  if (await deps.isClosed(key)) return { key, late: [] };
  const writer = await openAtomicWriter(chunkPath(deps.staging, key, file.server, file.name));
  return { key, writer, index: new ChunkIndexBuilder(), pending: [], offset: 0 };
}

async function flushPending(routes: Map<number, Route>): Promise<void> {
  for (const route of routes.values()) {
    if ('late' in route || route.pending.length === 0) continue;
    const data = Buffer.concat(route.pending);
    route.pending = [];
    if (!route.writer.stream.write(data)) await once(route.writer.stream, 'drain');
  }
}

async function abortAll(routes: Map<number, Route>): Promise<void> {
  for (const route of routes.values()) if (!('late' in route)) await route.writer.abort();
}

async function commitRoutes(
  file: IngestSource,
  deps: FileIngestDeps,
  routes: Map<number, Route>,
  counts: LineCounts,
): Promise<FileIngest> {
  const { staging } = deps;
  const result: FileIngest = { counts, mismatchSha256: null, stagedHours: [], lateLines: new Map() };
  const open = [...routes.values()];
  try {
    for (const route of open) {
      if ('late' in route) {
        result.lateLines.set(route.key, route.late);
        continue;
      }
      await route.writer.commit();
      // The index is written last: a chunk counts only once its index exists.
      await writeFileAtomic(chunkPath(staging, route.key, file.server, file.name) + INDEX_SUFFIX, route.index.encode());
      result.stagedHours.push(route.key);
      deps.crashPoint?.('ingest-chunk-committed');
    }
  } catch (err) {
    await abortAll(routes);
    throw err;
  }
  return result;
}
