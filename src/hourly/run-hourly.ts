import { acquireLock, describeStaleLock, LockBusyError, type Lock } from '../platform/lock-file.js';
import { appendIngestAlerts, HOUR_MS } from '../contracts/index.js';
import { amendAction, closeHour, minuteRecordHourKeys, removeClosedStaging, stagedHourKeys, stageLateFiles } from './schedule/amend.js';
import { listChunks } from './staging/copy-index.js';
import { hourKey, parseHourKey } from '../contracts/hour-label.js';
import { listManifestHours, readManifest } from '../contracts/hour-manifest.js';
import { ingestSpool, type IngestResult } from './ingest/ingest.js';
import { replayLateIntoClosedHour } from './replay/late-replay.js';
import { observeReadiness } from './schedule/observe-readiness.js';
import { publishHour } from './publish/publish.js';
import { removeLeftoverTemporaries } from '../platform/atomic-write.js';
import type { PublishDeps, PublishOutcome } from './publish/publish-types.js';
import { hourStart, readyHours } from './schedule/readiness.js';
import { hourlyLockPath } from '../contracts/staging-layout.js';
import { pruneRetained } from './retention/prune-retained.js';
import { pruneRawArchive, type RawArchivePruneDeps } from './retention/prune-raw-archive.js';
import { describeShortage, publishSpaceShortage, type FreeSpaceProbe } from './publish/space-guard.js';
import { trackSpaceEpisode, type SpaceRefusal } from './publish/space-episode.js';
import type { HourManifest } from '../contracts/hour-manifest.js';

/** What `runHourly` needs: settings, clock, logger and the hooks the lead wires OSF uploads to. */
export interface HourlyDeps extends PublishDeps, Pick<RawArchivePruneDeps, 'onSumsRewritten'> {
  /**
   * How the space guard reads free space; the filesystem's own figure when absent. The full-disk test makes the
   * guard see room so that a write fails half way, to prove such a failure leaves the vault intact.
   */
  freeSpaceProbe?: FreeSpaceProbe;
}

/** `hourly [--hour YYYY-MM-DDTHH] [--include-late]`. */
export interface HourlyOptions {
  /** A UTC hour to (re)publish now, ready or not. */
  hour?: string;
  /** With `hour`: replay `late/<hour>/` into it. */
  includeLate?: boolean;
}

/** What a run did. */
export interface HourlyResult {
  /** Another run held the lock: this one did nothing. */
  skipped: boolean;
  ingest: IngestResult | null;
  /** Every hour published, amended or refreshed, oldest first. */
  outcomes: PublishOutcome[];
  /** Hours closed (staging removed after retention). */
  closed: string[];
  /** Hours with data that are not ready yet. */
  waiting: string[];
  /** Ready hours left unpublished, or published hours left unamended, for lack of free space (done by a later run). */
  noSpace: string[];
}

/**
 * One `hourly` run (DESIGN 6): under `<state>/hourly.lock`, ingest the spool, then publish every ready hour
 * oldest first and amend or close published hours; or, with `hour`, (re)publish that hour on demand.
 */
export async function runHourly(deps: HourlyDeps, options: HourlyOptions = {}): Promise<HourlyResult> {
  const { settings, log } = deps;
  const result: HourlyResult = { skipped: false, ingest: null, outcomes: [], closed: [], waiting: [], noSpace: [] };
  const lockPath = hourlyLockPath(settings.paths.state);
  let lock: Lock;
  try {
    lock = await acquireLock(lockPath, { log });
  } catch (err) {
    if (!(err instanceof LockBusyError)) throw err;
    log.info({ holder: err.holderPid }, 'another hourly run is active; leaving the work to it');
    return { ...result, skipped: true };
  }
  try {
    if (lock.takenOver !== null) {
      const detail = `${describeStaleLock(lockPath, lock.takenOver)}; a run may have been blocked until now`;
      const nowMs = deps.clock.now();
      const alert = { at: new Date(nowMs).toISOString(), kind: 'stale-lock' as const, server: settings.server, path: lockPath, detail };
      await appendIngestAlerts(settings.paths.state, [alert], nowMs);
    }
    await removeLeftoverTemporaries(settings.paths.staging);
    result.ingest = await ingestSpool(deps);
    const refusals: SpaceRefusal[] = [];
    if (options.hour === undefined) await publishReady(deps, result, refusals);
    else result.outcomes.push(await publishOnDemand(deps, parseHourKey(options.hour), options.includeLate ?? false));
    await trackSpaceEpisode(deps, refusals, result.outcomes.length > 0);
    // Last, so a late replay of this run has used its files; file ages are wall-clock (not --now) times.
    await pruneRetained(settings, log, Date.now());
    // Raw archives age by their hour on the run's clock, as hours close.
    await pruneRawArchive(deps);
  } finally {
    await lock.release();
  }
  return result;
}

async function publishOnDemand(deps: HourlyDeps, hourMs: number, includeLate: boolean): Promise<PublishOutcome> {
  const { staging } = deps.settings.paths;
  const key = hourKey(hourMs);
  const manifest = await readManifest(staging, key);
  const shortage = await publishSpaceShortage(deps.settings, key, manifest, deps.freeSpaceProbe);
  if (shortage !== null) {
    throw new Error(`hour ${key} not published: ${describeShortage(shortage)}; free space there and run hourly --hour ${key} again`);
  }
  if (includeLate && manifest !== null && manifest.closed_at !== null) return replayLateIntoClosedHour(deps, hourMs, manifest);
  if (includeLate) await stageLateFiles(staging, key, deps.clock.now());
  // A closed hour without --include-late: publishHour explains that it has no staging left.
  return publishHour(deps, hourMs, { rebuild: true });
}

async function publishReady(deps: HourlyDeps, result: HourlyResult, refusals: SpaceRefusal[]): Promise<void> {
  const { settings, clock } = deps;
  const { staging } = settings.paths;
  const nowMs = clock.now();
  const observed = await observeReadiness(settings, nowMs, deps.log);
  const published = new Set((await listManifestHours(staging)).map(parseHourKey));
  const staged = (await stagedHourKeys(staging)).map(parseHourKey);
  const unpublished = staged.filter((hour) => !published.has(hour));
  const { first_hour: firstHourSetting, staging_retention_h: retentionH } = settings.hourly;
  const hours = readyHours({
    firstHourMs: firstHour(firstHourSetting, observed.firstStartedMs, staged, observed.readiness.refMs, retentionH),
    unpublishedDataHours: unpublished,
    published,
    readiness: observed.readiness,
  });
  for (const [index, hour] of hours.entries()) {
    const refusal = await spaceRefusal(deps, hourKey(hour), null, 'published');
    if (refusal !== null) {
      refusals.push(refusal);
      // Oldest first: later hours wait too, so hours are never published out of order.
      result.noSpace = hours.slice(index).map(hourKey);
      break;
    }
    result.outcomes.push(await publishHour(deps, hour, { rebuild: false }));
  }
  result.waiting = unpublished.filter((hour) => !hours.includes(hour)).map(hourKey);
  // Published hours with staging or a minute record left: each is amended, or closed once its retention ends.
  const recorded = (await minuteRecordHourKeys(staging)).map(parseHourKey);
  const open = [...new Set([...staged, ...recorded])].filter((hour) => published.has(hour)).sort((a, b) => a - b);
  await amendPublished(deps, open, result, refusals);
}

/**
 * Checks free space before a publication or amendment of hour `key` starts, so it never fails half way; logs
 * and returns the refusal when short. `manifest` is the hour's current one (null before its first publication).
 */
async function spaceRefusal(
  deps: HourlyDeps,
  key: string,
  manifest: HourManifest | null,
  done: 'published' | 'amended',
): Promise<SpaceRefusal | null> {
  const shortage = await publishSpaceShortage(deps.settings, key, manifest, deps.freeSpaceProbe);
  if (shortage === null) return null;
  const later = done === 'published' ? 'publishes' : 'amends';
  const detail = `hour ${key} not ${done}: ${describeShortage(shortage)}; free space there and the next hourly run ${later} it`;
  deps.log.error({ hour: key, folder: shortage.key, freeBytes: shortage.freeBytes, neededBytes: shortage.neededBytes }, detail);
  return { hour: key, path: shortage.path, detail };
}

/** S of DESIGN 3.4: `first_hour`, else server 1's first start, else the first hour with data within retention. */
function firstHour(
  setting: string | null,
  firstStartedMs: number | null,
  stagedHours: readonly number[],
  refMs: number,
  retentionH: number,
): number | null {
  if (setting !== null) return parseHourKey(setting);
  if (firstStartedMs !== null) return hourStart(firstStartedMs);
  const recent = stagedHours.filter((hour) => hour >= refMs - retentionH * HOUR_MS);
  return recent.length === 0 ? null : Math.min(...recent);
}

async function amendPublished(
  deps: HourlyDeps,
  hours: readonly number[],
  result: HourlyResult,
  refusals: SpaceRefusal[],
): Promise<void> {
  const { settings, clock } = deps;
  const { staging } = settings.paths;
  for (const hour of hours) {
    const key = hourKey(hour);
    let manifest = await readManifest(staging, key);
    if (manifest === null) continue;
    if (manifest.closed_at !== null) {
      await removeClosedStaging(staging, key);
      continue;
    }
    for (;;) {
      const known = new Set(manifest.chunks);
      const action = amendAction({
        newChunks: (await listChunks(staging, key)).filter((chunk) => !known.has(chunk.key)).length,
        nowMs: clock.now(),
        publishedAtMs: Date.parse(manifest.published_at),
        firstPublishedAtMs: Date.parse(manifest.first_published_at),
        amendIntervalMin: settings.hourly.amend_interval_min,
        stagingRetentionH: settings.hourly.staging_retention_h,
      });
      if (action === 'close') {
        await closeHour(staging, manifest, clock.now());
        result.closed.push(key);
      }
      if (action !== 'amend') break;
      // Skipped, the hour keeps its current version and stays due: the next run amends it.
      const refusal = await spaceRefusal(deps, key, manifest, 'amended');
      if (refusal !== null) {
        refusals.push(refusal);
        result.noSpace.push(key);
        break;
      }
      const outcome = await publishHour(deps, hour, { rebuild: false });
      if (outcome.kind !== 'unchanged') result.outcomes.push(outcome);
      manifest = outcome.manifest;
    }
  }
}
