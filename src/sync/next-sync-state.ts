import type { StreamState } from '../contracts/index.js';
import type { SyncState } from '../contracts/sync-state.js';
import type { FolderSpace } from '../platform/free-space.js';

/** Everything nextSyncState() decides from. */
export interface SyncStateInput {
  server: string;
  nowMs: number;
  /** The state pushed last time (local copy, else server 1's), or null on the very first run. */
  previous: SyncState | null;
  /** Server 2's `<state>/stream.json`, read before the spool was listed; null before the daemon's first run. */
  stream: Pick<StreamState, 'watermark' | 'gaps'> | null;
  /** Closed files still not on server 1 after this run, oldest first. */
  unsent: ReadonlyArray<{ minuteStartMs: number; bytes: number }>;
  /** Kept copies sent in the last `keep_sent_h` -> sha256. */
  sent: Record<string, string>;
  /** Free space of server 2's data folders, measured at the start of the run. */
  freeSpace: readonly FolderSpace[];
}

/**
 * The sync-state.json to push (DESIGN 3.2, 5). `complete_until` is server 2's watermark, held back to the
 * oldest unsent minute while a backlog remains, and left where it was when there is no stream state yet.
 */
export function nextSyncState(input: SyncStateInput): SyncState {
  const { server, nowMs, previous, stream, unsent, sent, freeSpace } = input;
  const oldest = unsent[0];
  let completeUntil = previous?.complete_until ?? null;
  if (stream !== null) {
    const watermarkMs = Date.parse(stream.watermark);
    completeUntil = new Date(oldest === undefined ? watermarkMs : Math.min(watermarkMs, oldest.minuteStartMs)).toISOString();
  }
  return {
    format_version: 1,
    server,
    complete_until: completeUntil,
    gaps: stream?.gaps ?? previous?.gaps ?? [],
    backlog: {
      files: unsent.length,
      bytes: unsent.reduce((sum, file) => sum + file.bytes, 0),
      oldest_minute: oldest === undefined ? null : new Date(oldest.minuteStartMs).toISOString(),
    },
    sent,
    free_space: freeSpace.map((folder) => ({ key: folder.key, path: folder.path, free_bytes: folder.freeBytes })),
    updated_at: new Date(nowMs).toISOString(),
  };
}
