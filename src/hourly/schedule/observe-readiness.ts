import { z } from 'zod';
import type { Settings } from '../../config/index.js';
import type { Logger } from '../../platform/logger.js';
import {
  readinessStatePath,
  readStateFile,
  readStreamState,
  readSyncState,
  SERVERS,
  stateFileRepair,
  writeStateFile,
  type StateFileFormat,
} from '../../contracts/index.js';
import { referenceTime, type ReadinessInput, type ServerProgress } from './readiness.js';
import { MINUTE_MS } from '../../platform/time.js';

const observationsSchema = z.object({
  format_version: z.literal(1),
  servers: z.partialRecord(z.enum(SERVERS), z.object({ watermark: z.string().nullable(), advanced_at: z.string().nullable() })),
});

/** `readiness.json` in staging: each server's watermark as last seen, and when it was last seen moving. */
type Observations = z.output<typeof observationsSchema>;

const READINESS_FORMAT: StateFileFormat<Observations> = { name: 'readiness.json', version: 1, schema: observationsSchema };

/** What the readiness rule and the hour range need from the state files. */
export interface ReadinessObservation {
  readiness: ReadinessInput;
  /** Server 1's `first_started_at` (ms), null before the daemon ever ran. */
  firstStartedMs: number | null;
}

function toMs(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * Reads the watermarks (server 1's `stream.json`, server 2's `sync-state.json`), remembers when each last moved
 * (in staging, between runs), and builds the readiness input of DESIGN 3.4.
 */
export async function observeReadiness(settings: Settings, nowMs: number, log?: Logger): Promise<ReadinessObservation> {
  // A corrupt file reads as absent: the hour then waits as for a server that never reported, with an alert.
  const repair = stateFileRepair(settings.paths.state, nowMs, log);
  const stream = await readStreamState(settings.paths.state, repair);
  const sync = settings.hourly.expect_server2 ? await readSyncState(settings.paths.spool, 'server2', repair) : null;
  const watermarks: Array<[(typeof SERVERS)[number], string | null]> = [['server1', stream?.watermark ?? null]];
  if (settings.hourly.expect_server2) watermarks.push(['server2', sync?.complete_until ?? null]);
  const path = readinessStatePath(settings.paths.staging);
  const observations = (await readStateFile(path, READINESS_FORMAT, repair)) ?? { format_version: 1, servers: {} };
  let changed = false;
  const servers: ServerProgress[] = watermarks.map(([server, watermark]) => {
    const seen = observations.servers[server];
    let advancedAt = seen?.advanced_at ?? null;
    if (seen === undefined || seen.watermark !== watermark) {
      // A first sighting says nothing about movement; a changed watermark moved now.
      if (seen !== undefined && watermark !== null) advancedAt = new Date(nowMs).toISOString();
      observations.servers[server] = { watermark, advanced_at: advancedAt };
      changed = true;
    }
    return { watermarkMs: toMs(watermark), advancedAtMs: toMs(advancedAt) };
  });
  if (changed) await writeStateFile(path, READINESS_FORMAT, observations);
  const gapEnds = (stream?.gaps ?? []).map((gap) => toMs(gap.end)).filter((ms): ms is number => ms !== null);
  const { lateness_min: latenessMin, max_wait_min: maxWaitMin } = settings.hourly;
  return {
    readiness: {
      refMs: referenceTime(servers[0]!.watermarkMs, nowMs),
      nowMs,
      latenessMs: latenessMin * MINUTE_MS,
      maxWaitMs: maxWaitMin * MINUTE_MS,
      downtimeEndMs: gapEnds.length === 0 ? null : Math.max(...gapEnds),
      servers,
    },
    firstStartedMs: toMs(stream?.first_started_at),
  };
}
