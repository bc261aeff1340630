import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readStateFile, writeStateFile, type StateFileFormat, type StateFileRepair } from './state-file.js';

const inflightSchema = z.object({
  format_version: z.literal(1),
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 in hex'),
});

/**
 * `<state>/sync-inflight.json`: the file being renamed into place on server 1 and its sha256, written just
 * before the rename. After a crash between that rename and the local move, the next run finds the remote
 * file taken and recognises it as its own copy by this record.
 */
export type InflightRecord = Omit<z.output<typeof inflightSchema>, 'format_version'>;

const INFLIGHT_FILE = 'sync-inflight.json';

const INFLIGHT_FORMAT: StateFileFormat<z.output<typeof inflightSchema>> = { name: INFLIGHT_FILE, version: 1, schema: inflightSchema };

function inflightPath(stateDir: string): string {
  return join(stateDir, INFLIGHT_FILE);
}

/** Records the file about to be renamed into place. */
export async function writeInflightRecord(stateDir: string, record: InflightRecord): Promise<void> {
  await writeStateFile(inflightPath(stateDir), INFLIGHT_FORMAT, { format_version: 1, ...record });
}

/**
 * The record of the last rename attempted (by this or an interrupted run); null if none. A corrupt record is
 * moved aside: the copy it named then counts as not ours, and sync stops with an error naming both files.
 */
export async function readInflightRecord(stateDir: string, repair?: StateFileRepair): Promise<InflightRecord | null> {
  const record = await readStateFile(inflightPath(stateDir), INFLIGHT_FORMAT, repair);
  if (record === null) return null;
  const { format_version: _version, ...rest } = record;
  return rest;
}

/** Forgets the record once the rename is known not to have happened (its destination was taken). */
export async function clearInflightRecord(stateDir: string): Promise<void> {
  await rm(inflightPath(stateDir), { force: true });
}
