import { readdir, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HOUR_MS, minuteRelativePath, parseSpoolName, PART_SUFFIX } from '../contracts/index.js';

/** A closed spool file waiting to be sent. */
export interface SpoolFile {
  /** Relative to the spool root with '/': `server2/2026-11-22/06/2026-11-22T06-27Z.jsonl`. */
  relativePath: string;
  /** Absolute local path. */
  path: string;
  minuteStartMs: number;
  segment: number;
  bytes: number;
}

/** What a path under `<spool>/<server>/` is, DESIGN 3.1. */
export type SpoolEntry =
  | { kind: 'closed'; minuteStartMs: number; segment: number }
  /** An open minute (`.jsonl.part`): only its daemon touches it. */
  | { kind: 'open' }
  /** A dot name at any depth: temporary or state files, never spool data. */
  | { kind: 'hidden' }
  /** Anything else, including a valid name in the wrong folder: not sent. */
  | { kind: 'foreign' };

/** Classifies a spool-relative path (`server2/YYYY-MM-DD/HH/<name>`) of server `server`. */
export function classifySpoolPath(server: string, relativePath: string): SpoolEntry {
  const parts = relativePath.split('/');
  if (parts.some((part) => part.startsWith('.'))) return { kind: 'hidden' };
  const name = parts[parts.length - 1] ?? '';
  const base = name.endsWith(PART_SUFFIX) ? name.slice(0, -PART_SUFFIX.length) : name;
  const parsed = parseSpoolName(base);
  if (!parsed || minuteRelativePath(server, parsed.minuteStartMs, parsed.segment) !== join(...parts.slice(0, -1), base)) {
    return { kind: 'foreign' };
  }
  return base === name ? { kind: 'closed', ...parsed } : { kind: 'open' };
}

/** Oldest first: by minute, then by segment. */
export function compareSpoolFiles(a: SpoolFile, b: SpoolFile): number {
  return a.minuteStartMs - b.minuteStartMs || a.segment - b.segment;
}

/** The result of scanSpool(). */
export interface SpoolScan {
  /** Closed files, oldest first. */
  files: SpoolFile[];
  /** Relative paths of foreign files (logged and counted, never sent). */
  foreign: string[];
}

async function walk(root: string, relative: string, found: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(join(root, relative), { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) await walk(root, path, found);
    else found.push(path);
  }
}

/** Lists the closed spool files of `<spoolDir>/<server>/`, oldest first, and the foreign ones. */
export async function scanSpool(spoolDir: string, server: string): Promise<SpoolScan> {
  const paths: string[] = [];
  await walk(spoolDir, server, paths);
  const files: SpoolFile[] = [];
  const foreign: string[] = [];
  for (const relativePath of paths) {
    const entry = classifySpoolPath(server, relativePath);
    if (entry.kind === 'foreign') foreign.push(relativePath);
    if (entry.kind !== 'closed') continue;
    const path = join(spoolDir, relativePath);
    const { size } = await stat(path);
    files.push({ relativePath, path, minuteStartMs: entry.minuteStartMs, segment: entry.segment, bytes: size });
  }
  return { files: files.sort(compareSpoolFiles), foreign };
}

async function removeIfEmpty(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw err;
  }
}

/**
 * Removes the empty hour and day folders of hours that ended before `beforeMs`, so the spool walked every
 * minute does not grow by 24 folders a day. The daemon only writes the current minute's folder.
 */
export async function removeEmptyHourDirs(spoolDir: string, server: string, beforeMs: number): Promise<void> {
  const root = join(spoolDir, server);
  const days = await readdir(root).catch(() => []);
  for (const day of days.filter((name) => /^\d{4}-\d{2}-\d{2}$/.test(name))) {
    const hours = await readdir(join(root, day)).catch(() => []);
    for (const hour of hours.filter((name) => /^\d{2}$/.test(name))) {
      if (Date.parse(`${day}T${hour}:00:00Z`) + HOUR_MS <= beforeMs) await removeIfEmpty(join(root, day, hour));
    }
    if (Date.parse(`${day}T00:00:00Z`) + 24 * HOUR_MS <= beforeMs) await removeIfEmpty(join(root, day));
  }
}
