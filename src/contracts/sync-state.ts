import { join } from 'node:path';
import { z } from 'zod';
import { decodeStateFile, NewerStateFileError, readStateFile, writeStateFile, type StateFileFormat, type StateFileRepair } from './state-file.js';
import { connectionGapSchema, type ConnectionGap } from './stream-state.js';

/**
 * `<spool>/server2/.state/sync-state.json` on server 1, written by server 2's sync, last in each run,
 * after every file it covers (DESIGN 3.2, 5). Server 2 keeps a copy in `<state>/sync-state.json`.
 */
export interface SyncState {
  format_version: 1;
  server: string;
  /** Server 2's watermark as far as synced: every minute before it is on server 1. null = unknown yet. */
  complete_until: string | null;
  gaps: ConnectionGap[];
  /** Closed spool files not yet on server 1; `oldest_minute` is the ISO start of the oldest one's minute. */
  backlog: { files: number; bytes: number; oldest_minute: string | null };
  /** Spool path relative to `<spool>` (e.g. `server2/2026-11-22/06/2026-11-22T06-27Z.jsonl`) -> sha256 hex. */
  sent: Record<string, string>;
  /** When this state was last pushed to server 1 (ISO). */
  updated_at: string;
  /**
   * Free space of server 2's data folders when the state was made, for server 1's daily report. Optional: a
   * state written before it existed is still version 1.
   */
  free_space?: Array<{ key: string; path: string; free_bytes: number }>;
  /** Only in server 2's local copy: the outcome of the latest run, pushed or not (for `watch` and `status`). */
  last_run?: { at: string; ok: boolean; error: string | null };
}

/** Folder of sync's state inside `<spool>/server2/` (a dot name: never spool data). */
export const SYNC_STATE_DIR = '.state';
/** File name of the sync state, on server 1 and in server 2's `<state>/`. */
export const SYNC_STATE_FILE = 'sync-state.json';

/** Where server 1 finds server 2's sync state, given server 1's spool root. */
export function syncStatePath(spoolDir: string, server = 'server2'): string {
  return join(spoolDir, server, SYNC_STATE_DIR, SYNC_STATE_FILE);
}

/** Server 2's local copy of the state it last computed: `<state>/sync-state.json`. */
export function localSyncStatePath(stateDir: string): string {
  return join(stateDir, SYNC_STATE_FILE);
}

const syncStateSchema = z.object({
  format_version: z.literal(1),
  server: z.string(),
  complete_until: z.string().nullable(),
  gaps: z.array(connectionGapSchema),
  backlog: z.object({ files: z.number().int().min(0), bytes: z.number().min(0), oldest_minute: z.string().nullable() }),
  // A `sent` of any other shape would make every server 2 file ingest as unverified without a word.
  sent: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 in hex')),
  updated_at: z.string(),
  free_space: z.array(z.object({ key: z.string(), path: z.string(), free_bytes: z.number().min(0) })).optional(),
  last_run: z.object({ at: z.string(), ok: z.boolean(), error: z.string().nullable() }).optional(),
}) satisfies z.ZodType<SyncState>;

export const SYNC_STATE_FORMAT: StateFileFormat<SyncState> = { name: SYNC_STATE_FILE, version: 1, schema: syncStateSchema };

/**
 * Reads sync-state.json as server 1 received it; null when server 2 never synced. With `repair` (hourly) a
 * corrupt file is moved aside and reads as absent: server 2's files then wait and go unverified, as without it.
 */
export async function readSyncState(spoolDir: string, server = 'server2', repair?: StateFileRepair): Promise<SyncState | null> {
  return readStateFile(syncStatePath(spoolDir, server), SYNC_STATE_FORMAT, repair);
}

/** Reads server 2's local copy (`<state>/sync-state.json`); null before the first sync run. */
export async function readLocalSyncState(stateDir: string, repair?: StateFileRepair): Promise<SyncState | null> {
  return readStateFile(localSyncStatePath(stateDir), SYNC_STATE_FORMAT, repair);
}

/** Decodes the sync state read back from server 1 (`sync` without a local copy); null for a corrupt one. */
export function decodeRemoteSyncState(path: string, text: string): SyncState | null {
  const decoded = decodeStateFile(text, SYNC_STATE_FORMAT);
  if (decoded.kind === 'newer') throw new NewerStateFileError(path, SYNC_STATE_FILE, decoded.version, SYNC_STATE_FORMAT.version);
  return decoded.kind === 'ok' ? decoded.value : null;
}

/** Writes server 2's local copy atomically. */
export async function writeLocalSyncState(stateDir: string, state: SyncState): Promise<void> {
  await writeStateFile(localSyncStatePath(stateDir), SYNC_STATE_FORMAT, state);
}

/** The bytes of sync-state.json as pushed to server 1. */
export function encodeSyncState(state: SyncState): Buffer {
  return Buffer.from(JSON.stringify({ ...state, format_version: SYNC_STATE_FORMAT.version }, null, 2) + '\n');
}
