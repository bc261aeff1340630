import { constants } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { fsyncDir } from '../../platform/atomic-write.js';
import { namesIn } from '../../platform/optional-files.js';
import { lateDir, latePath, readStateFile, SERVERS, writeStateFile, type Server, type StateFileFormat } from '../../contracts/index.js';

const lateStateSchema = z.object({ format_version: z.literal(1), bytes: z.number().int().min(0), sources: z.array(z.string()) });

/**
 * `late/<hour>/.<server>.jsonl.state`: how many bytes of the late file are committed, and which spool files
 * they came from (each spool file is appended once, even when it is ingested again after a crash).
 */
type LateState = z.output<typeof lateStateSchema>;

const LATE_STATE_FORMAT: StateFileFormat<LateState> = {
  name: 'late file state',
  version: 1,
  schema: lateStateSchema,
  // Read as absent, the next append would cut the late file back to nothing.
  whenCorrupt: 'compare it with the late file next to it and repair it by hand; moving it away loses the late lines',
};

function statePath(staging: string, hourKey: string, server: Server): string {
  return join(lateDir(staging, hourKey), `.${server}.jsonl.state`);
}

/**
 * Appends the late lines one spool file fed to `late/<hour>/<server>.jsonl` (DESIGN 3.4). Appending keeps the
 * cost linear however many files arrive late; the file is first cut back to its committed length, so a crash
 * in the middle of an append leaves no partial line, and the state (committed length and source) is written
 * after the data is fsynced. Returns how many lines were added (0 when `source` was appended before).
 */
export async function appendLateLines(
  staging: string,
  hourKey: string,
  server: Server,
  source: string,
  lines: readonly Buffer[],
): Promise<number> {
  const stateFile = statePath(staging, hourKey, server);
  const state = (await readStateFile(stateFile, LATE_STATE_FORMAT)) ?? { format_version: 1, bytes: 0, sources: [] };
  if (lines.length === 0 || state.sources.includes(source)) return 0;
  const data = Buffer.concat(lines.flatMap((line) => [line, Buffer.from('\n')]));
  await mkdir(lateDir(staging, hourKey), { recursive: true });
  const handle = await open(latePath(staging, hourKey, server), constants.O_RDWR | constants.O_CREAT, 0o644);
  try {
    await handle.truncate(state.bytes);
    await handle.write(data, 0, data.length, state.bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsyncDir(lateDir(staging, hourKey));
  await writeStateFile(stateFile, LATE_STATE_FORMAT, { format_version: 1, bytes: state.bytes + data.length, sources: [...state.sources, source] });
  return lines.length;
}

/** The late files of an hour that exist, per server. */
export async function lateFiles(staging: string, hourKey: string): Promise<Array<{ server: Server; path: string }>> {
  const names = await namesIn(lateDir(staging, hourKey));
  return SERVERS.filter((server) => names.includes(`${server}.jsonl`)).map((server) => ({
    server,
    path: latePath(staging, hourKey, server),
  }));
}

/** Removes an hour's late files once they are part of a publication. */
export async function removeLateFiles(staging: string, hourKey: string): Promise<void> {
  await rm(lateDir(staging, hourKey), { recursive: true, force: true });
}
