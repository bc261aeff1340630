import { close, fsync, ftruncateSync, mkdirSync, openSync, rename, writeSync } from 'node:fs';
import { errorCode } from '../platform/fs-errors.js';
import { dirname, relative } from 'node:path';
import { promisify } from 'node:util';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { fsyncDir } from '../platform/atomic-write.js';
import { MINUTE_MS, PART_SUFFIX, minuteKey, minutePath, minuteStart } from '../contracts/spool-path.js';
import type { SegmentRegistry } from './segment-registry.js';
import { spoolLineParts, type LineKind, type SpoolLine } from './spool-line.js';

const fsyncFd = promisify(fsync);
const closeFd = promisify(close);
const renameFile = promisify(rename);

/** Counts of one minute file, logged once when it closes. */
export interface MinuteStats {
  lines: number;
  tweets: number;
  errors: number;
  other: number;
  bytes: number;
}

interface OpenMinute {
  minuteStartMs: number;
  segment: number;
  path: string;
  fd: number;
  /** Bytes handed to the kernel so far: the end of the last whole chunk written. */
  written: number;
  /** Folders created for this file, whose parents must be fsynced too. */
  createdDir: string | undefined;
  stats: MinuteStats;
}

/** What MinuteWriter needs. */
export interface MinuteWriterDeps {
  clock: Clock;
  log: Logger;
  spoolDir: string;
  server: string;
  segments: SegmentRegistry;
  /** A new segment was claimed: stream.json should be written soon. */
  onSegmentClaimed: () => void;
  /** The spool's disk became full (true) or has room again (false): stream.json tells `watch` at once. */
  onSpoolFull?: (full: boolean) => void;
  /** Closing a file failed (disk full, I/O error): the daemon cannot go on. */
  onFatal: (err: Error) => void;
  /** Buffer size: one socket read (64 KiB) with its `__meta` members fits in one write. @default 131072 */
  bufferBytes?: number;
}

/**
 * A full-disk episode ends with a write this long after the last ENOSPC. At the last byte, a cut-back write frees
 * pages that a smaller next chunk fits in, so one success right after a failure is no sign that space is back:
 * without this, the log and stream.json's `spool_full_since` would flap with every chunk.
 */
const SPACE_BACK_AFTER_MS = 2000;

const KIND_COUNTER: Record<LineKind, 'tweets' | 'errors' | 'other'> = {
  tweet: 'tweets',
  'error-only': 'errors',
  other: 'other',
};

/**
 * Writes each line into the `.part` file of the UTC minute it was received in and, at the minute's end (a
 * clock timer, not the next message), flushes, fsyncs and renames it to `.jsonl` (DESIGN 3.1).
 *
 * Write-through per socket read: the reader write()s the lines of what one read of the connection brought
 * (PacedSocket reads it every 50 ms at most) and then calls flush(), which hands them to the kernel in one
 * `writeSync` before the connection is read again. A killed daemon therefore loses
 * nothing it has read (the page cache survives the process); only fsync at the minute's end makes it survive
 * a power cut. A write into the page cache is quick and a synchronous data path needs no backpressure; only
 * the slow part, fsync and rename, runs off the loop.
 */
export class MinuteWriter {
  readonly #deps: MinuteWriterDeps;
  readonly #buffer: Buffer;
  #used = 0;
  #open: OpenMinute | null = null;
  readonly #closing = new Map<OpenMinute, Promise<void>>();
  /** Chunks dropped since the disk filled and when the last one was (null while writes succeed): logged once per episode. */
  #droppedSinceFull: { chunks: number; bytes: number; lastAtMs: number } | null = null;

  constructor(deps: MinuteWriterDeps) {
    this.#deps = deps;
    this.#buffer = Buffer.allocUnsafe(deps.bufferBytes ?? 131_072);
  }

  /** Queues `line` with its `__meta` member for the file of the minute holding `receivedAtMs`; flush() writes it. */
  write(line: SpoolLine, meta: Buffer, receivedAtMs: number): void {
    const minute = minuteStart(receivedAtMs);
    if (this.#open?.minuteStartMs !== minute) this.#switchTo(minute);
    const open = this.#open!;
    for (const part of spoolLineParts(line, meta)) {
      this.#put(open, part);
      open.stats.bytes += part.length;
    }
    open.stats.lines++;
    open.stats[KIND_COUNTER[line.kind]]++;
  }

  /** Hands the queued lines to the kernel in one write: called after every socket read's lines. */
  flush(): void {
    if (this.#open) this.#flush(this.#open);
  }

  /** Start of the oldest minute whose file is not closed yet (open or closing), or null. */
  oldestUnclosedMs(): number | null {
    let oldest = this.#open?.minuteStartMs ?? null;
    for (const file of this.#closing.keys()) {
      if (oldest === null || file.minuteStartMs < oldest) oldest = file.minuteStartMs;
    }
    return oldest;
  }

  /** Closes the open file at each minute boundary, until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.#deps;
    while (!signal.aborted) {
      const wakeAtMs = minuteStart(clock.now()) + MINUTE_MS;
      try {
        // Timers may fire a little early: sleep again until the clock really reads the boundary.
        while (clock.now() < wakeAtMs) await clock.sleep(wakeAtMs - clock.now(), signal);
      } catch {
        return;
      }
      const open = this.#open;
      if (open && open.minuteStartMs < minuteStart(clock.now())) this.#closeOpen();
    }
  }

  /** Closes the open file and waits for every file being closed. */
  async close(): Promise<void> {
    if (this.#open) this.#closeOpen();
    await this.settled();
  }

  /** Resolves when every started close has finished. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#closing.values()]);
  }

  #switchTo(minute: number): void {
    if (this.#open) this.#closeOpen();
    const { spoolDir, server, segments } = this.#deps;
    const segment = segments.claim(minute);
    const path = minutePath(spoolDir, server, minute, segment);
    const createdDir = mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path + PART_SUFFIX, 'wx', 0o644);
    const stats = { lines: 0, tweets: 0, errors: 0, other: 0, bytes: 0 };
    this.#open = { minuteStartMs: minute, segment, path, fd, written: 0, createdDir, stats };
    this.#deps.onSegmentClaimed();
  }

  #put(file: OpenMinute, bytes: Buffer): void {
    if (bytes.length > this.#buffer.length - this.#used) {
      this.#flush(file);
      if (bytes.length >= this.#buffer.length) {
        this.#writeWhole(file, bytes);
        return;
      }
    }
    bytes.copy(this.#buffer, this.#used);
    this.#used += bytes.length;
  }

  #flush(file: OpenMinute): void {
    if (this.#used === 0) return;
    this.#writeWhole(file, this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }

  /**
   * Writes whole lines or none: on a full disk the partial write is cut back, so the file keeps only complete
   * lines (a torn line would be garbage to ingest), the chunk is dropped, and the daemon goes on reading; the
   * next chunk tries again, so writing resumes by itself once space returns.
   */
  #writeWhole(file: OpenMinute, bytes: Buffer): void {
    try {
      writeFully(file.fd, bytes, file.written);
    } catch (err) {
      if (errorCode(err) !== 'ENOSPC') throw err;
      ftruncateSync(file.fd, file.written);
      if (this.#droppedSinceFull === null) {
        this.#droppedSinceFull = { chunks: 0, bytes: 0, lastAtMs: 0 };
        this.#deps.log.error({ file: relative(this.#deps.spoolDir, file.path) }, 'disk full (ENOSPC): dropping received lines until space returns');
        this.#deps.onSpoolFull?.(true);
      }
      this.#droppedSinceFull.chunks++;
      this.#droppedSinceFull.bytes += bytes.length;
      this.#droppedSinceFull.lastAtMs = this.#deps.clock.now();
      return;
    }
    file.written += bytes.length;
    const dropped = this.#droppedSinceFull;
    if (dropped !== null && this.#deps.clock.now() - dropped.lastAtMs >= SPACE_BACK_AFTER_MS) {
      this.#deps.log.warn({ chunks: dropped.chunks, bytes: dropped.bytes }, 'disk space back: writing again');
      this.#droppedSinceFull = null;
      this.#deps.onSpoolFull?.(false);
    }
  }

  #closeOpen(): void {
    const file = this.#open!;
    this.#open = null;
    // The buffer is shared, so it is emptied into this file before the next one opens.
    this.#flush(file);
    const closing = this.#finish(file)
      .catch((err: Error) => this.#deps.onFatal(err))
      .finally(() => this.#closing.delete(file));
    this.#closing.set(file, closing);
  }

  async #finish(file: OpenMinute): Promise<void> {
    const { log, spoolDir } = this.#deps;
    // fsync before rename, or a crash could publish a file whose data never reached the disk.
    await fsyncFd(file.fd);
    await closeFd(file.fd);
    await renameFile(file.path + PART_SUFFIX, file.path);
    await fsyncDir(dirname(file.path));
    if (file.createdDir !== undefined) await fsyncCreatedParents(file.createdDir, dirname(file.path));
    log.info(
      { minute: minuteKey(file.minuteStartMs), segment: file.segment, file: relative(spoolDir, file.path), ...file.stats },
      'minute closed',
    );
  }
}

/** Writes `bytes` at file position `at` (explicit, so a write after a cut-back partial one leaves no hole). */
function writeFully(fd: number, bytes: Buffer, at: number): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset, at + offset);
}

/** fsyncs the parent of every folder from `firstCreated` down to `leaf`, so new folders survive a crash. */
async function fsyncCreatedParents(firstCreated: string, leaf: string): Promise<void> {
  for (let dir = leaf; dir.length >= firstCreated.length; dir = dirname(dir)) await fsyncDir(dirname(dir));
}
