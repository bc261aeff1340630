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
 */
export function readStreamBody(
  deps: StreamBodyDeps,
  response: IncomingMessage,
  onBytes: (atMs: number) => void,
): Promise<BodyEnd> {
  const { clock, writer, status, log, server, partition, connection } = deps;
  let pending = NO_BYTES;
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
    let flushQueued = false;
    /** Hands the queued lines to the kernel; the error when the spool cannot take them. */
    const flushLines = (): Error | null => {
      flushQueued = false;
      try {
        writer.flush();
        return null;
      } catch (err) {
        return err as Error;
      }
    };
    const finish = (given: BodyEnd) => {
      if (settled) return;
      settled = true;
      // Whatever ended the body (an operational disconnect line among them), its lines go to the kernel now.
      const flushErr = given.kind !== 'fatal' ? flushLines() : null;
      const end: BodyEnd = flushErr ? { kind: 'fatal', err: flushErr } : given;
      if (end.kind !== 'fatal' && pending.length > 0) {
        status.recordTruncated(1);
        logBadLine(clock.now(), { bytes: pending.length, start: startOf(pending) }, 'partial last line dropped');
      }
      response.destroy();
      resolve(end);
    };
    response.on('data', (chunk: Buffer) => {
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
      try {
        if (writeFrames(frames, nowMs)) {
          pending = NO_BYTES;
          finish({ kind: 'operational-disconnect' });
          return;
        }
      } catch (err) {
        finish({ kind: 'fatal', err: err as Error });
        return;
      }
      // Write-through (kill -9 safe): one socket read gives a burst of chunks, emitted in one go; their lines
      // reach the .part file in one write once the burst is handled, before the socket is read again.
      if (!flushQueued) {
        flushQueued = true;
        queueMicrotask(() => {
          if (settled) return;
          const err = flushLines();
          if (err) finish({ kind: 'fatal', err });
        });
      }
    });
    response.once('end', () => finish({ kind: 'drop' }));
    response.once('error', (err) => finish({ kind: 'drop', err }));
    response.once('close', () => finish({ kind: 'drop' }));
  });
}
