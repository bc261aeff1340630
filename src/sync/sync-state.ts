import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionGap } from '../stream/index.js';

/**
 * `<spool>/server2/.state/sync-state.json` on server 1, written by server 2's sync, last in each run,
 * after every file it covers (DESIGN 3.2, 5).
 */
export interface SyncState {
  format_version: 1;
  server: string;
  /** Server 2's watermark as far as synced: every minute before it is on server 1. null = unknown yet. */
  complete_until: string | null;
  gaps: ConnectionGap[];
  backlog: { files: number; bytes: number; oldest_minute: string | null };
  /** Spool path relative to `<spool>` (e.g. `server2/2026-11-22/06/2026-11-22T06-27Z.jsonl`) -> sha256 hex. */
  sent: Record<string, string>;
  updated_at: string;
}

export const SYNC_STATE_DIR = '.state';
export const SYNC_STATE_FILE = 'sync-state.json';

/** Where server 1 finds server 2's sync state, given server 1's spool root. */
export function syncStatePath(spoolDir: string, server = 'server2'): string {
  return join(spoolDir, server, SYNC_STATE_DIR, SYNC_STATE_FILE);
}

/** Reads sync-state.json; null when server 2 never synced. */
export async function readSyncState(spoolDir: string, server = 'server2'): Promise<SyncState | null> {
  const path = syncStatePath(spoolDir, server);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as SyncState;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`Cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}
