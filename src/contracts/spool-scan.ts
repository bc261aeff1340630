import { join, relative } from 'node:path';
import { minuteRelativePath, PART_SUFFIX, parseSpoolName } from './spool-path.js';
import { entriesIn } from '../platform/optional-files.js';
import { SERVERS, type Server } from './staging-layout.js';

/** A closed spool file (DESIGN 3.1). */
export interface SpoolFile {
  server: Server;
  name: string;
  path: string;
  /** Relative to the spool root: `server2/2026-11-22/06/2026-11-22T06-27Z.jsonl` (the key of sync's `sent`). */
  relativePath: string;
  minuteStartMs: number;
  segment: number;
}

/** Anything in a server's spool that is neither data, an open minute nor a dot name. */
export interface ForeignFile {
  server: Server;
  path: string;
  relativePath: string;
}

/** What a scan of the spool found. */
export interface SpoolScan {
  files: SpoolFile[];
  foreign: ForeignFile[];
  /** Sub-folders seen (deepest first), for pruning empty ones. */
  folders: string[];
}

/** Spool order: server, then minute, then segment: the order copies are ranked in (DESIGN 3.3). */
export function compareSpoolFiles(a: SpoolFile, b: SpoolFile): number {
  if (a.server !== b.server) return a.server < b.server ? -1 : 1;
  if (a.minuteStartMs !== b.minuteStartMs) return a.minuteStartMs - b.minuteStartMs;
  return a.segment - b.segment;
}

/**
 * Lists `<spool>/server1/**` and `<spool>/server2/**`. Names starting with '.' (sync's temporary files and
 * `.state/`) and open minutes (`.jsonl.part`) are never touched; anything else that is not a spool file at its
 * place (`<server>/<YYYY-MM-DD>/<HH>/<name>`) is foreign.
 */
export async function scanSpool(spoolDir: string): Promise<SpoolScan> {
  const scan: SpoolScan = { files: [], foreign: [], folders: [] };
  for (const server of SERVERS) await walk(spoolDir, join(spoolDir, server), server, scan);
  scan.files.sort(compareSpoolFiles);
  return scan;
}

async function walk(spoolDir: string, dir: string, server: Server, scan: SpoolScan): Promise<void> {
  for (const entry of await entriesIn(dir)) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const relativePath = relative(spoolDir, path);
    if (entry.isDirectory()) {
      await walk(spoolDir, path, server, scan);
      scan.folders.push(path);
      continue;
    }
    if (entry.isFile() && entry.name.endsWith(PART_SUFFIX)) continue;
    const parsed = entry.isFile() ? parseSpoolName(entry.name) : null;
    // A spool name in the wrong folder is foreign too (as sync sees it): the path is part of the layout.
    if (parsed === null || relativePath !== minuteRelativePath(server, parsed.minuteStartMs, parsed.segment)) {
      scan.foreign.push({ server, path, relativePath });
    } else {
      scan.files.push({ server, name: entry.name, path, relativePath, ...parsed });
    }
  }
}
