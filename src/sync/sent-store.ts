import { copyFile, mkdir, readdir, rename, rm, rmdir, stat, unlink, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir, temporaryPathFor } from '../platform/atomic-write.js';
import { minuteRelativePath, parseSpoolName } from '../contracts/index.js';
import { fileSha256 } from '../platform/file-sha256.js';
import { isNotFound } from '../platform/fs-errors.js';
import type { PruneTotals } from '../platform/prune-log.js';

/**
 * `<state>/sent/`: server 2's copies of the files already on server 1, at their spool-relative paths, kept
 * `keep_sent_h` (DESIGN 5) so `sync --resend` can send one again. A copy's mtime is the time it was sent.
 */
export function sentDir(stateDir: string): string {
  return join(stateDir, 'sent');
}

async function listFiles(root: string, relative = ''): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(root, relative), { withFileTypes: true });
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await listFiles(root, path)));
    else found.push(path);
  }
  return found;
}

async function moveAcrossDevices(from: string, to: string): Promise<void> {
  const tmp = temporaryPathFor(to);
  await copyFile(from, tmp);
  await rename(tmp, to);
  await fsyncDir(dirname(to));
  await unlink(from);
}

/** Moves a delivered spool file into the sent folder, stamped with the send time (for pruning). */
export async function moveToSent(stateDir: string, localPath: string, relativePath: string, sentAtMs: number): Promise<void> {
  const target = join(sentDir(stateDir), relativePath);
  await mkdir(dirname(target), { recursive: true });
  try {
    await rename(localPath, target);
  } catch (err) {
    // The spool and the state folder may be on different file systems.
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await moveAcrossDevices(localPath, target);
  }
  await utimes(target, sentAtMs / 1000, sentAtMs / 1000);
  await fsyncDir(dirname(target));
  await fsyncDir(dirname(localPath));
}

async function removeEmptyDirs(root: string, relative: string): Promise<void> {
  for (let dir = relative; dir !== '.' && dir !== ''; dir = dirname(dir)) {
    try {
      await rmdir(join(root, dir));
    } catch {
      return;
    }
  }
}

/** Deletes kept copies sent before `cutoffMs`; returns how many went and their bytes. */
export async function pruneSent(stateDir: string, cutoffMs: number): Promise<PruneTotals> {
  const root = sentDir(stateDir);
  const pruned: PruneTotals = { count: 0, bytes: 0 };
  for (const relativePath of await listFiles(root)) {
    const path = join(root, relativePath);
    const info = await stat(path);
    if (info.mtimeMs >= cutoffMs) continue;
    await rm(path, { force: true });
    await removeEmptyDirs(root, dirname(relativePath));
    pruned.count++;
    pruned.bytes += info.size;
  }
  return pruned;
}

/**
 * The `sent` map of sync-state.json: every kept copy -> sha256. Hashes come from `known` (the previous
 * state); a copy missing there (a crash before the state was written) is hashed again.
 */
export async function sentHashes(stateDir: string, known: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const relativePath of await listFiles(sentDir(stateDir))) {
    hashes[relativePath] = known[relativePath] ?? (await fileSha256(join(sentDir(stateDir), relativePath)));
  }
  return hashes;
}

/** Spool-relative paths of the kept copies of one minute (every segment), oldest segment first. */
export async function findSentCopies(stateDir: string, server: string, minuteStartMs: number): Promise<string[]> {
  const hourDir = dirname(minuteRelativePath(server, minuteStartMs));
  const copies = (await listFiles(join(sentDir(stateDir), hourDir))).flatMap((name) => {
    const parsed = parseSpoolName(name);
    return parsed !== null && parsed.minuteStartMs === minuteStartMs ? [{ name, segment: parsed.segment }] : [];
  });
  return copies.sort((a, b) => a.segment - b.segment).map(({ name }) => `${hourDir}/${name}`);
}
