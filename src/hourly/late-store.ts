import { readdir, readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../platform/atomic-write.js';
import { lateDir, latePath, SERVERS, type Server } from './staging-layout.js';

async function readOptional(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Appends lines to `late/<hour>/<server>.jsonl` by rewriting it atomically. A line already in the file is not
 * added again, so re-ingesting a spool file after a crash does not duplicate its late lines. Returns how many
 * lines were new.
 */
export async function appendLateLines(
  staging: string,
  hourKey: string,
  server: Server,
  lines: readonly Buffer[],
): Promise<number> {
  const path = latePath(staging, hourKey, server);
  const existing = await readOptional(path);
  const seen = new Set<string>();
  if (existing !== null) for (const line of existing.toString('latin1').split('\n')) if (line !== '') seen.add(line);
  const added: Buffer[] = [];
  for (const line of lines) {
    const key = line.toString('latin1');
    if (seen.has(key)) continue;
    seen.add(key);
    added.push(line, Buffer.from('\n'));
  }
  if (added.length === 0) return 0;
  await writeFileAtomic(path, Buffer.concat(existing === null ? added : [existing, ...added]));
  return added.length / 2;
}

/** The late files of an hour that exist, per server. */
export async function lateFiles(staging: string, hourKey: string): Promise<Array<{ server: Server; path: string }>> {
  let names: string[];
  try {
    names = await readdir(lateDir(staging, hourKey));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return SERVERS.filter((server) => names.includes(`${server}.jsonl`)).map((server) => ({
    server,
    path: latePath(staging, hourKey, server),
  }));
}

/** Removes an hour's late files once they are part of a publication. */
export async function removeLateFiles(staging: string, hourKey: string): Promise<void> {
  await rm(lateDir(staging, hourKey), { recursive: true, force: true });
}
