import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Reasons the daemon reconnects, each with its own counter (DESIGN 4). */
export type ReconnectCause =
  | 'drop'
  | 'network'
  | 'http-5xx'
  | 'rate-limit'
  | 'config'
  | 'stall'
  | 'operational-disconnect';

export interface ConnectionGap {
  /** ISO time the connection was lost (or the daemon was down since). */
  start: string;
  /** ISO time data flowed again. */
  end: string;
  reason: string;
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
}

export const STREAM_STATE_FILE = 'stream.json';

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
