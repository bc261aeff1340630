import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { HOUR_MS, MINUTE_MS } from '../../contracts/index.js';
import { writeManifest, type HourManifest } from '../../contracts/hour-manifest.js';
import { ingestSpoolFile } from '../ingest/ingest-file.js';
import { lateFiles, removeLateFiles } from '../staging/late-store.js';
import { namesIn } from '../../platform/optional-files.js';
import { hourStagingDir, minutesDir, minutesPath, stagingHoursDir } from '../../contracts/staging-layout.js';

/**
 * Amendment and retention rules (DESIGN 3.4). A published hour keeps its staging for `staging_retention_h`
 * after its first publication; meanwhile every new chunk (a late sync, a backfill) amends it, batched to one
 * rebuild per `amend_interval_min`. Then the hour is closed: the manifest records it first, and only then is
 * its staging removed, so a crash in between never lets a later arrival rebuild the hour from a partial staging.
 * Arrivals for a closed hour go to `late/<hour>/<server>.jsonl`.
 *
 * Replaying `late/` (`hourly --hour H --include-late`): while the hour is open, its late files become chunks and
 * the hour is rebuilt from staging as usual. A closed hour has no staging left, and republishing it from the late
 * lines alone would drop everything else, so the replay adds the late tweets to the published files instead
 * (see late-replay.ts).
 */
export type AmendAction = 'none' | 'wait' | 'amend' | 'close';

/** What decides an open published hour's next step. */
export interface AmendInput {
  /** Chunks of the hour that its current version was not built from. */
  newChunks: number;
  nowMs: number;
  publishedAtMs: number;
  firstPublishedAtMs: number;
  amendIntervalMin: number;
  stagingRetentionH: number;
}

/** The next step for an open published hour: amend now, wait for the batching interval, close, or nothing. */
export function amendAction(input: AmendInput): AmendAction {
  const expired = input.nowMs - input.firstPublishedAtMs >= input.stagingRetentionH * HOUR_MS;
  // A last amendment takes in whatever arrived before the hour closes, whatever the interval.
  if (expired) return input.newChunks > 0 ? 'amend' : 'close';
  if (input.newChunks === 0) return 'none';
  return input.nowMs - input.publishedAtMs >= input.amendIntervalMin * MINUTE_MS ? 'amend' : 'wait';
}

/** Closes a published hour: records it in the manifest, then removes its staging and minute record. */
export async function closeHour(staging: string, manifest: HourManifest, nowMs: number): Promise<HourManifest> {
  const closed = { ...manifest, closed_at: new Date(nowMs).toISOString() };
  await writeManifest(staging, closed);
  await removeClosedStaging(staging, manifest.hour);
  return closed;
}

/** Removes what is left of a closed hour's staging (also after a crash between the two steps of closeHour). */
export async function removeClosedStaging(staging: string, hourKey: string): Promise<void> {
  await rm(hourStagingDir(staging, hourKey), { recursive: true, force: true });
  await rm(minutesPath(staging, hourKey), { force: true });
}

/** UTC hour keys that have a staging folder. */
export async function stagedHourKeys(staging: string): Promise<string[]> {
  return (await namesIn(stagingHoursDir(staging))).filter((name) => /^\d{4}-\d{2}-\d{2}T\d{2}$/.test(name)).sort();
}

/**
 * UTC hour keys that have a receipt minute record. An hour that received only non-tweet lines has one but no
 * staging folder; it is closed (and the record removed) like any other published hour.
 */
export async function minuteRecordHourKeys(staging: string): Promise<string[]> {
  return (await namesIn(minutesDir(staging)))
    .flatMap((name) => /^(\d{4}-\d{2}-\d{2}T\d{2})\.json$/.exec(name)?.slice(1, 2) ?? [])
    .sort();
}

/**
 * Turns an open hour's late files into chunks (named `late-<time>.jsonl`, after every spool chunk in copy
 * order) and removes the late files; returns how many tweet lines were staged.
 */
export async function stageLateFiles(staging: string, hourKey: string, nowMs: number): Promise<number> {
  let tweets = 0;
  for (const late of await lateFiles(staging, hourKey)) {
    const name = `late-${new Date(nowMs).toISOString().replace(/[:.]/g, '-')}.jsonl`;
    const staged = await ingestSpoolFile(
      { server: late.server, name, path: late.path, relativePath: basename(late.path), minuteStartMs: nowMs, segment: 0 },
      { staging, isClosed: async () => false, expectedSha256: null, keepOther: false, rejectedPath: null, createdWindow: null },
    );
    tweets += staged.counts.tweets;
  }
  await removeLateFiles(staging, hourKey);
  return tweets;
}
