import { createHash, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readStateFile, writeStateFile, type StateFileFormat, type StateFileRepair } from '../contracts/index.js';
import { fsyncDir } from '../platform/atomic-write.js';
import { namesIn } from '../platform/optional-files.js';
import type { OsfAlert, OutboxEntry } from './outbox-types.js';

const entrySchema = z.object({
  format_version: z.literal(1),
  requestId: z.string(),
  // Entries written before sequences existed sort first, by their enqueue time.
  sequence: z.number().int().min(0).default(0),
  remotePath: z.string(),
  localPath: z.string(),
  enqueuedAt: z.string(),
  attempts: z.number().int().min(0),
  nextAttemptAt: z.string(),
  lastError: z.string().nullable(),
  firstFailureAt: z.string().nullable(),
});

/**
 * An outbox entry as stored: `requestId` changes with every enqueue, so a drain can tell an amendment;
 * `sequence` grows with every enqueue, so entries queued in the same millisecond (a fixed `--now` clock,
 * a publish and its amendment) are still sent in the order they were queued.
 */
export type StoredEntry = OutboxEntry & { requestId: string; sequence: number };

const alertSchema = z.object({
  condition: z.enum(['osf-auth', 'osf-quota', 'osf-failing']),
  message: z.string(),
});

const uploadStateSchema = z.object({
  format_version: z.literal(1),
  lastAlert: alertSchema.nullable(),
  alertedAt: z.string().nullable(),
  pausedUntil: z.string().nullable(),
});

/** `<state>/osf-status.json`: the open auth/quota alert and the pause it imposes on all uploads. */
export type UploadState = Omit<z.output<typeof uploadStateSchema>, 'format_version'>;

const EMPTY_STATE: UploadState = { lastAlert: null, alertedAt: null, pausedUntil: null };

/** Folder of the outbox entries, `<state>/outbox/`. */
export function outboxDir(stateDir: string): string {
  return join(stateDir, 'outbox');
}

function entryPath(stateDir: string, remotePath: string): string {
  const key = createHash('sha256').update(remotePath).digest('hex').slice(0, 32);
  return join(outboxDir(stateDir), `${key}.json`);
}

const ENTRY_FORMAT: StateFileFormat<z.output<typeof entrySchema>> = { name: 'outbox entry', version: 1, schema: entrySchema };
const UPLOAD_STATE_FORMAT: StateFileFormat<z.output<typeof uploadStateSchema>> = { name: 'osf-status.json', version: 1, schema: uploadStateSchema };

async function readEntryFile(path: string, repair: StateFileRepair | undefined): Promise<StoredEntry | null> {
  const stored = await readStateFile(path, ENTRY_FORMAT, repair);
  if (stored === null) return null;
  const { format_version: _version, ...entry } = stored;
  return entry;
}

/** A fresh request ID for an entry being (re)queued. */
export function newRequestId(): string {
  return randomUUID();
}

/**
 * The stored entry for `remotePath`, or null. With `repair` (the outbox's own runs) a corrupt entry is moved
 * aside with an alert and reads as absent; without it, it is an error naming the file.
 */
export async function readEntry(stateDir: string, remotePath: string, repair?: StateFileRepair): Promise<StoredEntry | null> {
  return readEntryFile(entryPath(stateDir, remotePath), repair);
}

/** Every stored entry in the order queued (by sequence); temporary dot-files and set-aside entries are skipped. */
export async function readEntries(stateDir: string, repair?: StateFileRepair): Promise<StoredEntry[]> {
  const dir = outboxDir(stateDir);
  const entries: StoredEntry[] = [];
  for (const name of (await namesIn(dir)).filter((n) => !n.startsWith('.') && n.endsWith('.json'))) {
    const entry = await readEntryFile(join(dir, name), repair);
    if (entry !== null) entries.push(entry);
  }
  return entries.sort(
    (a, b) => a.sequence - b.sequence || a.enqueuedAt.localeCompare(b.enqueuedAt) || a.remotePath.localeCompare(b.remotePath),
  );
}

/** Writes an entry atomically, replacing any entry for the same remote path. */
export async function writeEntry(stateDir: string, entry: StoredEntry): Promise<void> {
  await writeStateFile(entryPath(stateDir, entry.remotePath), ENTRY_FORMAT, { format_version: 1, ...entry });
}

/** Deletes the entry of `remotePath` durably. */
export async function removeEntry(stateDir: string, remotePath: string): Promise<void> {
  await rm(entryPath(stateDir, remotePath), { force: true });
  await fsyncDir(outboxDir(stateDir));
}

function uploadStatePath(stateDir: string): string {
  return join(stateDir, 'osf-status.json');
}

/** Reads `<state>/osf-status.json` (no file: no alert, no pause; with `repair`, a corrupt file is set aside). */
export async function readUploadState(stateDir: string, repair?: StateFileRepair): Promise<UploadState> {
  const stored = await readStateFile(uploadStatePath(stateDir), UPLOAD_STATE_FORMAT, repair);
  if (stored === null) return EMPTY_STATE;
  const { format_version: _version, ...state } = stored;
  return state;
}

/** Writes `<state>/osf-status.json` atomically. */
export async function writeUploadState(stateDir: string, state: UploadState): Promise<void> {
  await writeStateFile(uploadStatePath(stateDir), UPLOAD_STATE_FORMAT, { format_version: 1, ...state });
}

/** The state recording `alert` (null clears it) and the pause until `pausedUntilMs` (null: none). */
export function withAlert(alert: OsfAlert | null, nowMs: number, pausedUntilMs: number | null): UploadState {
  return {
    lastAlert: alert,
    alertedAt: alert === null ? null : new Date(nowMs).toISOString(),
    pausedUntil: pausedUntilMs === null ? null : new Date(pausedUntilMs).toISOString(),
  };
}
