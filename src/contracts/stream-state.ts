import { join } from 'node:path';
import { z } from 'zod';
import { readStateFile, writeStateFile, type StateFileFormat, type StateFileRepair } from './state-file.js';

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
  /** Since when the spool's disk is full (the daemon drops received lines until space returns); null when not. */
  spool_full_since?: string | null;
  /** Tweets received per minute of the last hour, keyed by the minute's ISO start time. */
  tweets_by_minute?: Record<string, number>;
}

export const STREAM_STATE_FILE = 'stream.json';

const RECONNECT_CAUSES = [
  'drop',
  'network',
  'http-5xx',
  'rate-limit',
  'config',
  'stall',
  'operational-disconnect',
  'too-many-connections',
  'usage-cap',
] as const satisfies readonly ReconnectCause[];

export const connectionGapSchema = z.object({
  start: z.string(),
  end: z.string(),
  reason: z.string(),
  open: z.boolean().optional(),
});

const count = z.number().int().min(0);

const streamStateSchema = z.object({
  format_version: z.literal(1),
  server: z.string(),
  first_started_at: z.string(),
  started_at: z.string(),
  updated_at: z.string(),
  connected: z.boolean(),
  last_message_at: z.string().nullable(),
  watermark: z.string(),
  counters: z.object({
    messages: count,
    tweets: count,
    errors: count,
    malformed: count,
    non_tweet: count,
    truncated: count.optional(),
    reconnects: z.partialRecord(z.enum(RECONNECT_CAUSES), count),
  }),
  gaps: z.array(connectionGapSchema),
  segments: z.record(z.string(), count),
  auth: z.object({
    state: z.enum(['ok', 'rejected', 'unknown']),
    status: z.number().optional(),
    detail: z.string().optional(),
    at: z.string().optional(),
  }),
  usage_capped_at: z.string().nullable().optional(),
  spool_full_since: z.string().nullable().optional(),
  tweets_by_minute: z.record(z.string(), count).optional(),
}) satisfies z.ZodType<StreamState>;

export const STREAM_STATE_FORMAT: StateFileFormat<StreamState> = { name: STREAM_STATE_FILE, version: 1, schema: streamStateSchema };

/** Path of `<state>/stream.json`. */
export function streamStatePath(stateDir: string): string {
  return join(stateDir, STREAM_STATE_FILE);
}

/**
 * Reads stream.json; null when the daemon never ran. A corrupt file is moved aside with `repair` (the daemon,
 * sync and hourly pass one), else an error naming it; a newer format_version is always an error.
 */
export async function readStreamState(stateDir: string, repair?: StateFileRepair): Promise<StreamState | null> {
  return readStateFile(streamStatePath(stateDir), STREAM_STATE_FORMAT, repair);
}

/** Rewrites stream.json atomically (temporary name, fsync, rename). */
export async function writeStreamState(stateDir: string, state: StreamState): Promise<void> {
  await writeStateFile(streamStatePath(stateDir), STREAM_STATE_FORMAT, state);
}
