import { createHash, randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { fsyncDir, writeJsonAtomic } from '../platform/atomic-write.js';
import type { OsfAlert, OutboxEntry } from './outbox-types.js';
import { readTextIfExists } from '../platform/read-text-if-exists.js';

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

function parseStateFile<T extends z.ZodType>(schema: T, path: string, text: string, fix: string): z.output<T> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`Cannot read ${path}: ${(err as Error).message}; ${fix}`, { cause: err });
  }
  const parsed = schema.safeParse(doc);
  if (!parsed.success) throw new Error(`Cannot read ${path}: ${parsed.error.issues[0]?.message}; ${fix}`);
  return parsed.data;
}

function parseEntry(path: string, text: string): StoredEntry {
  const { format_version: _version, ...entry } = parseStateFile(entrySchema, path, text, 'move the file away to drop the upload');
  return entry;
}

/** A fresh request ID for an entry being (re)queued. */
export function newRequestId(): string {
  return randomUUID();
}

/** The stored entry for `remotePath`, or null. */
export async function readEntry(stateDir: string, remotePath: string): Promise<StoredEntry | null> {
  const path = entryPath(stateDir, remotePath);
  const text = await readTextIfExists(path);
  return text === null ? null : parseEntry(path, text);
}

/** Every stored entry in the order queued (by sequence); temporary dot-files are skipped. */
export async function readEntries(stateDir: string): Promise<StoredEntry[]> {
  const dir = outboxDir(stateDir);
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const entries: StoredEntry[] = [];
  for (const name of names.filter((n) => !n.startsWith('.') && n.endsWith('.json'))) {
    const text = await readTextIfExists(join(dir, name));
    if (text !== null) entries.push(parseEntry(join(dir, name), text));
  }
  return entries.sort(
    (a, b) => a.sequence - b.sequence || a.enqueuedAt.localeCompare(b.enqueuedAt) || a.remotePath.localeCompare(b.remotePath),
  );
}

/** Writes an entry atomically, replacing any entry for the same remote path. */
export async function writeEntry(stateDir: string, entry: StoredEntry): Promise<void> {
  await writeJsonAtomic(entryPath(stateDir, entry.remotePath), { format_version: 1, ...entry });
}

/** Deletes the entry of `remotePath` durably. */
export async function removeEntry(stateDir: string, remotePath: string): Promise<void> {
  await rm(entryPath(stateDir, remotePath), { force: true });
  await fsyncDir(outboxDir(stateDir));
}

function uploadStatePath(stateDir: string): string {
  return join(stateDir, 'osf-status.json');
}

/** Reads `<state>/osf-status.json` (no file: no alert, no pause). */
export async function readUploadState(stateDir: string): Promise<UploadState> {
  const path = uploadStatePath(stateDir);
  const text = await readTextIfExists(path);
  if (text === null) return EMPTY_STATE;
  const { format_version: _version, ...state } = parseStateFile(uploadStateSchema, path, text, 'delete the file to reset it');
  return state;
}

/** Writes `<state>/osf-status.json` atomically. */
export async function writeUploadState(stateDir: string, state: UploadState): Promise<void> {
  await writeJsonAtomic(uploadStatePath(stateDir), { format_version: 1, ...state });
}

/** The state recording `alert` (null clears it) and the pause until `pausedUntilMs` (null: none). */
export function withAlert(alert: OsfAlert | null, nowMs: number, pausedUntilMs: number | null): UploadState {
  return {
    lastAlert: alert,
    alertedAt: alert === null ? null : new Date(nowMs).toISOString(),
    pausedUntil: pausedUntilMs === null ? null : new Date(pausedUntilMs).toISOString(),
  };
}
