import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../platform/atomic-write.js';

/** Reasons the daemon reconnects, each with its own counter (DESIGN 4). */
export type ReconnectCause =
  | 'drop'
  | 'network'
  | 'http-5xx'
  | 'rate-limit'
  | 'config'
  | 'stall'
  | 'operational-disconnect'
  /** HTTP 429 `TooManyConnections`: another client holds the connection slot. */
  | 'too-many-connections'
  /** HTTP 429 `UsageCapExceeded`. */
  | 'usage-cap';

export interface ConnectionGap {
  /** ISO time the connection was lost (or the daemon was down since). */
  start: string;
  /** ISO time data flowed again. */
  end: string;
  reason: string;
  /** True while the gap lasts: `end` is then the time the state was written. */
  open?: boolean;
}

/** `<state>/stream.json`, rewritten by the daemon every few seconds (DESIGN 3.2). */
export interface StreamState {
  format_version: 1;
  server: string;
  first_started_at: string;
  started_at: string;
  updated_at: string;
  connected: boolean;
  last_message_at: string | null;
  /** Every minute before this ISO time is closed and complete. */
  watermark: string;
  counters: {
    messages: number;
    tweets: number;
    errors: number;
    malformed: number;
    non_tweet: number;
    /** Partial last lines dropped: cut connections and `.part` files recovered after a crash. */
    truncated?: number;
    reconnects: Partial<Record<ReconnectCause, number>>;
  };
  /** Connection gaps of the last days, oldest first. */
  gaps: ConnectionGap[];
  /** Highest segment number used per recent minute key (`YYYY-MM-DDTHH-MMZ`). */
  segments: Record<string, number>;
  /** Last authentication outcome: 'ok', or the API's rejection. */
  auth: { state: 'ok' | 'rejected' | 'unknown'; status?: number; detail?: string; at?: string };
  /** Usage cap reported by the API, if any. */
  usage_capped_at?: string | null;
  /** Tweets received per minute of the last hour, keyed by the minute's ISO start time. */
  tweets_by_minute?: Record<string, number>;
}

export const STREAM_STATE_FILE = 'stream.json';

/** Path of `<state>/stream.json`. */
export function streamStatePath(stateDir: string): string {
  return join(stateDir, STREAM_STATE_FILE);
}

/** Reads stream.json; null when the daemon never ran. */
export async function readStreamState(stateDir: string): Promise<StreamState | null> {
  try {
    return JSON.parse(await readFile(streamStatePath(stateDir), 'utf8')) as StreamState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`Cannot read ${streamStatePath(stateDir)}: ${(err as Error).message}`, { cause: err });
  }
}

/** Rewrites stream.json atomically (temporary name, fsync, rename). */
export async function writeStreamState(stateDir: string, state: StreamState): Promise<void> {
  await writeJsonAtomic(streamStatePath(stateDir), state);
}
