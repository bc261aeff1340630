import { isUtf8 } from 'node:buffer';
import type { TweetV2SingleStreamResult } from 'twitter-api-v2';
import { isOperationalDisconnect } from './classify.js';

/** One stream frame as the spool sees it, DESIGN 3.1. */

/** What a written line is: a tweet (has `data.id`), an error-only message, or any other object. */
export type LineKind = 'tweet' | 'error-only' | 'other';

/** A frame that goes into the spool, with what the writer and the counters need. */
export interface SpoolLine {
  kind: LineKind;
  /** The frame exactly as received. */
  bytes: Buffer;
  /** Index of the object's closing `}` in `bytes`: `__meta` is spliced in just before it. */
  closeAt: number;
  /** The object has no member, so no comma goes before `__meta`. */
  empty: boolean;
  /** The message is an in-stream operational disconnect (reference A.8). */
  operationalDisconnect: boolean;
}

/** Why a frame is not written. */
export type MalformedReason = 'invalid-utf8' | 'invalid-json' | 'not-an-object';

/** What inspectFrame() found. */
export type FrameInfo = SpoolLine | { kind: 'keepalive' } | { kind: 'malformed'; reason: MalformedReason };

const COMMA = Buffer.from(',');
const NONE = Buffer.alloc(0);
const CLOSE_LINE = Buffer.from('}\n');

function isJsonSpace(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;
}

function hasMember(value: object): boolean {
  for (const _key in value) return true;
  return false;
}

/**
 * Classifies one frame: whitespace only is a keep-alive; otherwise it must be valid UTF-8 holding one JSON
 * object, else it is malformed (counted, never written).
 */
export function inspectFrame(frame: Buffer): FrameInfo {
  let closeAt = frame.length - 1;
  while (closeAt >= 0 && isJsonSpace(frame[closeAt])) closeAt--;
  if (closeAt < 0) return { kind: 'keepalive' };
  // Invalid bytes would decode to U+FFFD and parse fine; the spool keeps bytes, so check them first.
  if (!isUtf8(frame)) return { kind: 'malformed', reason: 'invalid-utf8' };
  let message: unknown;
  try {
    // Parsed as latin1, not UTF-8: in valid UTF-8 every byte of a multi-byte character is >= 0x80 and
    // sits inside a string, where JSON accepts any such character, so validity is the same either way.
    // Only ASCII members are read below, and the bytes written are the original ones. Decoding latin1
    // costs a fraction of UTF-8 on the hot path.
    message = JSON.parse(frame.toString('latin1'));
  } catch {
    return { kind: 'malformed', reason: 'invalid-json' };
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    return { kind: 'malformed', reason: 'not-an-object' };
  }
  // The API's shape (twitter-api-v2's types); the checks below still test it, as any member may be missing.
  const { data, errors } = message as Partial<Pick<TweetV2SingleStreamResult, 'data' | 'errors'>>;
  const isTweet = typeof data === 'object' && data !== null && typeof data.id === 'string';
  const errorOnly = !isTweet && data === undefined && Array.isArray(errors);
  return {
    kind: isTweet ? 'tweet' : errorOnly ? 'error-only' : 'other',
    bytes: frame,
    closeAt,
    empty: !hasMember(message),
    operationalDisconnect: errorOnly && isOperationalDisconnect(message),
  };
}

/** The `"__meta":{...}` member added to every line (`partition` only with sample10). */
export function metaMember(retrievedAtMs: number, server: string, partition: number | null): Buffer {
  // Built as text rather than by stringifying an object: this runs once per socket chunk.
  const partitionMember = partition === null ? '' : `,"partition":${partition}`;
  const retrievedAt = new Date(retrievedAtMs).toISOString();
  return Buffer.from(`"__meta":{"retrieved_at":"${retrievedAt}","server":${JSON.stringify(server)}${partitionMember}}`);
}

/**
 * The pieces of the spool line for `line`: its bytes up to the closing brace, `,`, the `__meta` member and
 * `}\n`. Splicing keeps every member and character exactly as received, without re-serialising.
 */
export function spoolLineParts(line: SpoolLine, meta: Buffer): Buffer[] {
  return [line.bytes.subarray(0, line.closeAt), line.empty ? NONE : COMMA, meta, CLOSE_LINE];
}
