import type { IncomingMessage } from 'node:http';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { apiMessageOf } from './classify.js';
import { splitFrames } from './framing.js';
import type { MinuteWriter } from './minute-writer.js';
import { inspectFrame, metaMember } from './spool-line.js';
import { minuteStart } from '../contracts/spool-path.js';
import type { StreamStatus } from './stream-status.js';

/** First bytes of a bad line that go into the log; its content stays out of the spool. */
const LOGGED_PREFIX_BYTES = 120;
/** Bad lines logged one by one per minute and connection; the rest are only counted. */
const LOGGED_BAD_LINES_PER_MINUTE = 10;
/** A line longer than this is no API message (those are kilobytes): the connection is dropped, bounding memory. */
export const MAX_LINE_BYTES = 8 * 1024 * 1024;
const NO_BYTES: Buffer = Buffer.alloc(0);
/**
 * After a batch smaller than Node's read buffer, reading pauses this long so the next batch gathers several
 * messages. At the 1% rate a message comes every ~16 ms, and each wake-up (epoll, read, HTTP parser, one
 * write) costs more than the message's own work: pausing halves the daemon's CPU (issue 13). A message waits
 * at most this long before it is written, well inside the 100 ms that kill -9 may lose (issue 12.1). A batch
 * that fills the buffer means more is queued, so reading goes on at once and throughput is not capped.
 */
export const READ_PAUSE_MS = 50;

/** What readStreamBody() needs. */
export interface StreamBodyDeps {
  clock: Clock;
  log: Logger;
  /** Name of this connection in logs and gaps (`sample`, `partition-1`). */
  connection: string;
  /** `__meta.partition` with sample10, else null. */
  partition: number | null;
  server: string;
  writer: MinuteWriter;
  status: StreamStatus;
  /** Something stream.json shows changed. */
  onStateChange: () => void;
  /** Pause after a small batch, on `clock`; 0 reads on at once. @default READ_PAUSE_MS */
  readPauseMs?: number;
}

/** How a stream body ended: the server closed it or an operational disconnect; fatal when the spool fails. */
export type BodyEnd = { kind: 'drop' | 'operational-disconnect'; err?: Error } | { kind: 'fatal'; err: Error };

function startOf(bytes: Buffer): string {
  return bytes.subarray(0, LOGGED_PREFIX_BYTES).toString('utf8');
}

/**
 * Frames the body of an open stream on bytes and writes each message with `__meta` (DESIGN 3.1, 4):
 * keep-alives are skipped, malformed lines counted and logged, never written. Resolves when the body
 * ends; after an operational disconnect line it destroys the response itself. Calls `onBytes` with the
 * time of every chunk, for the stall watchdog.
 *
 * Chunks delivered together (one socket read, or what piled up during a pause) form a batch: their lines
 * reach the `.part` file in one write at the end of the batch, before anything more is read (write-through:
 * kill -9 loses nothing processed). Then reading pauses for `readPauseMs` unless the batch filled the buffer.
 */
export function readStreamBody(
  deps: StreamBodyDeps,
  response: IncomingMessage,
  onBytes: (atMs: number) => void,
): Promise<BodyEnd> {
  const { clock, writer, status, log, server, partition, connection } = deps;
  const pauseMs = deps.readPauseMs ?? READ_PAUSE_MS;
  const stopPausing = new AbortController();
  let pending = NO_BYTES;
  /** Bytes of the batch being delivered, or null between batches. */
  let batchBytes: number | null = null;
  let up = false;
  let metaAtMs = -1;
  let meta = NO_BYTES;
  let badLinesMinute = -1;
  let badLinesLogged = 0;
  const logBadLine = (atMs: number, fields: Record<string, unknown>, message: string) => {
    if (minuteStart(atMs) !== badLinesMinute) {
      badLinesMinute = minuteStart(atMs);
      badLinesLogged = 0;
    }
    if (badLinesLogged++ < LOGGED_BAD_LINES_PER_MINUTE) log.warn(fields, message);
  };
  /** Writes the frames of one chunk; true after an operational disconnect. */
  const writeFrames = (frames: Buffer[], nowMs: number): boolean => {
    if (nowMs !== metaAtMs) {
      metaAtMs = nowMs;
      meta = metaMember(nowMs, server, partition);
    }
    for (const frame of frames) {
      const info = inspectFrame(frame);
      if (info.kind === 'keepalive') continue;
      if (info.kind === 'malformed') {
        status.recordMalformed();
        logBadLine(nowMs, { reason: info.reason, bytes: frame.length, start: startOf(frame) }, 'malformed line dropped');
        continue;
      }
      writer.write(info, meta, nowMs);
      status.recordLine(info.kind, nowMs);
      if (info.operationalDisconnect) {
        log.warn({ detail: apiMessageOf(frame.toString('utf8'), 'operational-disconnect') }, 'operational disconnect');
        return true;
      }
    }
    return false;
  };
  return new Promise((resolve) => {
    let settled = false;
    const finish = (end: BodyEnd) => {
      if (settled) return;
      settled = true;
      stopPausing.abort();
      if (end.kind !== 'fatal' && pending.length > 0) {
        status.recordTruncated(1);
        logBadLine(clock.now(), { bytes: pending.length, start: startOf(pending) }, 'partial last line dropped');
      }
      response.destroy();
      resolve(end);
    };
    /** Hands the batch's lines to the kernel; false (and the body finished) when the spool fails. */
    const flush = (): boolean => {
      try {
        writer.flush();
        return true;
      } catch (err) {
        finish({ kind: 'fatal', err: err as Error });
        return false;
      }
    };
    /** Runs as a microtask after the chunks of one delivery: every one of them was handed to the listener. */
    const endBatch = () => {
      const bytes = batchBytes ?? 0;
      batchBytes = null;
      // Flushed even when the body has ended meanwhile ('end' runs before microtasks): no line waits.
      if (!flush() || settled || pauseMs === 0 || bytes >= response.readableHighWaterMark) return;
      response.pause();
      clock.sleep(pauseMs, stopPausing.signal).then(
        () => response.resume(),
        () => undefined,
      );
    };
    const onChunk = (chunk: Buffer) => {
      const nowMs = clock.now();
      onBytes(nowMs);
      if (!up) {
        up = true;
        status.connectionUp(connection, nowMs);
        deps.onStateChange();
      }
      const { frames, rest } = splitFrames(pending, chunk);
      pending = rest;
      if (pending.length > MAX_LINE_BYTES) {
        status.recordMalformed();
        logBadLine(nowMs, { bytes: pending.length, start: startOf(pending) }, 'line too long: reconnecting');
        pending = NO_BYTES;
        finish({ kind: 'drop' });
        return;
      }
      if (batchBytes === null) queueMicrotask(endBatch);
      batchBytes = (batchBytes ?? 0) + chunk.length;
      let disconnected: boolean;
      try {
        disconnected = writeFrames(frames, nowMs);
      } catch (err) {
        finish({ kind: 'fatal', err: err as Error });
        return;
      }
      if (disconnected && flush()) {
        pending = NO_BYTES;
        finish({ kind: 'operational-disconnect' });
      }
    };
    /**
     * A connection that closes while reading is paused leaves the chunks received meanwhile in the response,
     * and Node discards them when it destroys it: they are read out first. The listener goes first, as read()
     * of a stream that has not failed would hand each chunk to it a second time.
     */
    const drainPaused = () => {
      response.off('data', onChunk);
      for (let chunk = response.read() as Buffer | null; chunk !== null && !settled; chunk = response.read() as Buffer | null) {
        onChunk(chunk);
      }
    };
    /** The connection ended: whatever was received before is written first (it may end the body itself). */
    const connectionEnded = (end: BodyEnd) => {
      drainPaused();
      finish(end);
    };
    response.on('data', onChunk);
    response.once('end', () => connectionEnded({ kind: 'drop' }));
    response.once('error', (err) => connectionEnded({ kind: 'drop', err }));
    response.once('close', () => connectionEnded({ kind: 'drop' }));
  });
}
