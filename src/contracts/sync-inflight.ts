import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../platform/atomic-write.js';

/**
 * `<state>/sync-inflight.json`: the file being renamed into place on server 1 and its sha256, written just
 * before the rename. After a crash between that rename and the local move, the next run finds the remote
 * file taken and recognises it as its own copy by this record.
 */
export interface InflightRecord {
  path: string;
  sha256: string;
}

function inflightPath(stateDir: string): string {
  return join(stateDir, 'sync-inflight.json');
}

/** Records the file about to be renamed into place. */
export async function writeInflightRecord(stateDir: string, record: InflightRecord): Promise<void> {
  await writeJsonAtomic(inflightPath(stateDir), record);
}

/** The record of the last rename attempted (by this or an interrupted run); null if none. */
export async function readInflightRecord(stateDir: string): Promise<InflightRecord | null> {
  try {
    return JSON.parse(await readFile(inflightPath(stateDir), 'utf8')) as InflightRecord;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Forgets the record once the rename is known not to have happened (its destination was taken). */
export async function clearInflightRecord(stateDir: string): Promise<void> {
  await rm(inflightPath(stateDir), { force: true });
}
