import { lstat, readdir, rmdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { join, posix } from 'node:path';
import { errorCode, isNotFound } from '../platform/fs-errors.js';
import { entriesIn } from '../platform/optional-files.js';
import { HOUR_MS, minuteRelativePath, PART_SUFFIX, parseSpoolName } from './spool-path.js';
import { SERVERS, type Server } from './staging-layout.js';

/**
 * The one reading of the spool layout (DESIGN 3.1), for hourly's ingest and for sync: under
 * `<spool>/<server>/`, `<YYYY-MM-DD>/<HH>/<YYYY-MM-DDTHH-MMZ>(_N).jsonl` is a closed minute, the same with
 * `.part` an open one (only its daemon touches it), a dot name (sync's uploads, temporary files, `.state/`)
 * is never data, and anything else, a valid name in the wrong folder or a non-regular file included, is foreign.
 */

/** What a path under `<spool>/<server>/` is. */
export type SpoolEntry =
  | { kind: 'closed'; minuteStartMs: number; segment: number }
  | { kind: 'open' }
  | { kind: 'hidden' }
  | { kind: 'foreign' };

/** Classifies a spool-relative path (`server2/YYYY-MM-DD/HH/<name>`, '/'-separated) of a regular file. */
export function classifySpoolPath(server: string, relativePath: string): SpoolEntry {
  const parts = relativePath.split('/');
  if (parts.some((part) => part.startsWith('.'))) return { kind: 'hidden' };
  const name = parts.at(-1) ?? '';
  const base = name.endsWith(PART_SUFFIX) ? name.slice(0, -PART_SUFFIX.length) : name;
  const parsed = parseSpoolName(base);
  const place = [...parts.slice(0, -1), base].join('/');
  if (parsed === null || minuteRelativePath(server, parsed.minuteStartMs, parsed.segment) !== place) return { kind: 'foreign' };
  return base === name ? { kind: 'closed', ...parsed } : { kind: 'open' };
}

/** A closed spool file. */
export interface SpoolFile {
  server: Server;
  name: string;
  /** Absolute path. */
  path: string;
  /** Relative to the spool root with '/': `server2/2026-11-22/06/2026-11-22T06-27Z.jsonl` (the key of sync's `sent`). */
  relativePath: string;
  minuteStartMs: number;
  segment: number;
  bytes: number;
}

/** A file in a server's spool that is not where the layout puts anything. */
export interface ForeignFile {
  server: Server;
  path: string;
  relativePath: string;
}

/** An open minute or a dot file, with when it last changed: one that stays long was left behind. */
export interface PendingFile extends ForeignFile {
  kind: 'open' | 'hidden';
  changedMs: number;
}

/** What a scan of the spool found. */
export interface SpoolScan {
  /** Closed files in copy order: server, minute, segment. */
  files: SpoolFile[];
  foreign: ForeignFile[];
  pending: PendingFile[];
  /** Entries directly in the spool that are not a server folder (absolute paths): reported, never moved. */
  outside: string[];
  /** Sub-folders of the server folders seen (deepest first), for pruning empty ones. */
  folders: string[];
}

/** Spool order: server, then minute, then segment: the order copies are ranked in (DESIGN 3.3) and sent in. */
export function compareSpoolFiles(a: SpoolFile, b: SpoolFile): number {
  if (a.server !== b.server) return a.server < b.server ? -1 : 1;
  return a.minuteStartMs - b.minuteStartMs || a.segment - b.segment;
}

function isServer(name: string): name is Server {
  return (SERVERS as readonly string[]).includes(name);
}

async function visit(spoolDir: string, relativePath: string, entry: Dirent, server: Server, scan: SpoolScan): Promise<void> {
  const path = join(spoolDir, relativePath);
  // A hidden folder (`.state/`) is another program's: neither walked nor reported.
  if (entry.isDirectory() && entry.name.startsWith('.')) return;
  if (entry.isDirectory()) {
    await walk(spoolDir, relativePath, server, scan);
    scan.folders.push(path);
    return;
  }
  const classified = classifySpoolPath(server, relativePath);
  // Only a regular file is data: a symlink or device with a spool name is foreign.
  const found: SpoolEntry = classified.kind !== 'hidden' && !entry.isFile() ? { kind: 'foreign' } : classified;
  if (found.kind === 'foreign') {
    scan.foreign.push({ server, path, relativePath });
    return;
  }
  const info = await lstat(path).catch((err: unknown) => (isNotFound(err) ? null : Promise.reject(err)));
  // Gone since the listing: a minute closed, a temporary file renamed, or an upload committed meanwhile.
  if (info === null) return;
  if (found.kind === 'closed') {
    const { minuteStartMs, segment } = found;
    scan.files.push({ server, name: entry.name, path, relativePath, minuteStartMs, segment, bytes: info.size });
  } else {
    scan.pending.push({ server, path, relativePath, kind: found.kind, changedMs: Math.max(info.ctimeMs, info.mtimeMs) });
  }
}

async function walk(spoolDir: string, relativeDir: string, server: Server, scan: SpoolScan): Promise<void> {
  for (const entry of await entriesIn(join(spoolDir, relativeDir))) {
    await visit(spoolDir, posix.join(relativeDir, entry.name), entry, server, scan);
  }
}

/**
 * Lists `<spool>/<server>/**` of `servers` (both by default: hourly; sync passes its own). Entries beside the
 * server folders are listed in `outside` and never walked.
 */
export async function scanSpool(spoolDir: string, servers: readonly Server[] = SERVERS): Promise<SpoolScan> {
  const scan: SpoolScan = { files: [], foreign: [], pending: [], outside: [], folders: [] };
  for (const entry of await entriesIn(spoolDir)) {
    // Dot names and a filesystem's own `lost+found` are nobody's data.
    if (entry.name.startsWith('.') || entry.name === 'lost+found') continue;
    if (!isServer(entry.name) || !entry.isDirectory()) scan.outside.push(join(spoolDir, entry.name));
  }
  for (const server of servers) await walk(spoolDir, server, server, scan);
  scan.files.sort(compareSpoolFiles);
  return scan;
}

/** Open minutes and dot files unchanged for over an hour: a crashed writer left them, and nobody else will. */
export function lingeringFiles(pending: readonly PendingFile[], nowMs: number): PendingFile[] {
  return pending.filter((file) => nowMs - file.changedMs > HOUR_MS);
}

async function removeIfEmpty(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch (err) {
    const code = errorCode(err);
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw err;
  }
}

async function namesOf(dir: string): Promise<string[]> {
  return readdir(dir).catch((err: unknown) => (isNotFound(err) || errorCode(err) === 'ENOTDIR' ? [] : Promise.reject(err)));
}

/**
 * Removes the empty hour and day folders of `server` for hours that ended before `beforeMs`, so a spool walked
 * every minute does not grow by 24 folders a day. The daemon only writes the current minute's folder.
 */
export async function removeEmptyHourDirs(spoolDir: string, server: string, beforeMs: number): Promise<void> {
  const root = join(spoolDir, server);
  for (const day of (await namesOf(root)).filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name))) {
    for (const hour of (await namesOf(join(root, day))).filter((name) => /^\d{2}$/.test(name))) {
      if (Date.parse(`${day}T${hour}:00:00Z`) + HOUR_MS <= beforeMs) await removeIfEmpty(join(root, day, hour));
    }
    if (Date.parse(`${day}T00:00:00Z`) + 24 * HOUR_MS <= beforeMs) await removeIfEmpty(join(root, day));
  }
}
