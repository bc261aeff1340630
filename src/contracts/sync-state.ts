import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionGap } from './stream-state.js';

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

async function readStateFile(path: string): Promise<SyncState | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as SyncState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`Cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads sync-state.json; null when server 2 never synced. */
export async function readSyncState(spoolDir: string, server = 'server2'): Promise<SyncState | null> {
  return readStateFile(syncStatePath(spoolDir, server));
}

/** Reads server 2's local copy (`<state>/sync-state.json`); null before the first sync run. */
export async function readLocalSyncState(stateDir: string): Promise<SyncState | null> {
  return readStateFile(localSyncStatePath(stateDir));
}
