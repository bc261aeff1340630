import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { daySumsFileName, hourKey, hoursOfLabelDay, withoutSha256Sums } from '../../contracts/index.js';
import { readManifest } from '../../contracts/hour-manifest.js';
import { writeFileAtomic } from '../../platform/atomic-write.js';
import { namesIn, readTextIfExists, statIfExists } from '../../platform/optional-files.js';
import { logPrune, type PruneTotals } from '../../platform/prune-log.js';
import { vaultNames } from '../publish/day-files.js';
import { remotePath } from '../publish/hour-version.js';
import type { PublishDeps, PublishedFile } from '../publish/publish-types.js';
import { expiredRawArchives, planRawArchivePrune, type RawArchiveFile } from './prune-plan.js';

/** What the raw archive prune needs. */
export interface RawArchivePruneDeps extends Pick<PublishDeps, 'settings' | 'clock' | 'log' | 'crashPoint'> {
  /**
   * Called after the prune rewrote a day's SHA256SUMS without its pruned raw files, so OSF gets the new one as
   * after an amendment; before the raw files are deleted, so at least once.
   */
  onSumsRewritten?: (sums: PublishedFile) => Promise<void>;
}

const DAY_FOLDER = /^\d{4}-\d{2}-\d{2}$/;
const RAW_SUFFIX = '_raw.jsonl.xz';

/** The raw archives of one vault day folder, each with the UTC hour its label names in `timeZone`. */
async function dayRawArchives(vault: string, day: string, timeZone: string): Promise<RawArchiveFile[]> {
  const present = new Set(await namesIn(join(vault, day)));
  // Most day folders have none left once the prune has caught up: skip their hours.
  if (![...present].some((name) => name.endsWith(RAW_SUFFIX))) return [];
  let hours;
  try {
    hours = hoursOfLabelDay(day, timeZone);
  } catch (err) {
    // A folder named like a day that is no calendar date: not one hourly wrote.
    if (err instanceof RangeError) return [];
    throw err;
  }
  const found: RawArchiveFile[] = [];
  for (const { utcHourStartMs, label } of hours) {
    const { dayDir, raw: name } = vaultNames(vault, day, label.label);
    const path = join(dayDir, name);
    const info = present.has(name) ? await statIfExists(path) : null;
    if (info !== null) found.push({ day, name, path, bytes: info.size, hourKey: hourKey(utcHourStartMs), hourStartMs: utcHourStartMs });
  }
  return found;
}

/**
 * Removes one day's pruned raw archives. SHA256SUMS is rewritten (and queued for OSF) first and the files are
 * deleted last: a run killed in between leaves a raw file that SHA256SUMS no longer lists (`sha256sum -c` still
 * passes), and the next run finds the file again, rewrites SHA256SUMS only if a publication has listed the file
 * again meanwhile, queues it again and deletes the file. The other order could leave SHA256SUMS listing a file
 * that is gone, with nothing left to find it by.
 */
async function pruneDay(deps: RawArchivePruneDeps, day: string, files: readonly RawArchiveFile[]): Promise<void> {
  const dayDir = join(deps.settings.paths.vault, day);
  const sumsName = daySumsFileName(day);
  const sumsPath = join(dayDir, sumsName);
  const current = await readTextIfExists(sumsPath);
  if (current !== null) {
    const next = withoutSha256Sums(current, new Set(files.map((file) => file.name)));
    if (next !== current) await writeFileAtomic(sumsPath, next);
    await deps.onSumsRewritten?.({ localPath: sumsPath, remotePath: remotePath(day, sumsName) });
  }
  deps.crashPoint?.('prune-raw-before-delete');
  for (const file of files) await rm(file.path, { force: true });
}

/**
 * Deletes the raw archives (`hourly.archive_raw`) of closed hours that ended `retention.raw_archive_days` ago,
 * taking their lines out of the day's SHA256SUMS, and logs what went. Called by `hourly` under its lock. Ages
 * are hours of the run's clock (`--now`), as when hours close.
 */
export async function pruneRawArchive(deps: RawArchivePruneDeps): Promise<PruneTotals> {
  const { settings, log } = deps;
  const days = settings.retention.raw_archive_days;
  const totals: PruneTotals = { count: 0, bytes: 0 };
  if (days === 0) return totals;
  const { vault, staging } = settings.paths;
  const nowMs = deps.clock.now();
  const files: RawArchiveFile[] = [];
  for (const day of (await namesIn(vault)).filter((name) => DAY_FOLDER.test(name)).sort()) {
    files.push(...(await dayRawArchives(vault, day, settings.hourly.output_timezone)));
  }
  // Only expired files need their hour's manifest read: the vault holds months of hours.
  const expired = expiredRawArchives(files, days, nowMs);
  const closed = new Set<string>();
  for (const file of expired) {
    const manifest = await readManifest(staging, file.hourKey);
    if (manifest !== null && manifest.closed_at !== null) closed.add(file.hourKey);
  }
  const pruned = planRawArchivePrune(expired, days, nowMs, closed);
  for (const day of new Set(pruned.map((file) => file.day))) {
    await pruneDay(deps, day, pruned.filter((file) => file.day === day));
  }
  for (const file of pruned) {
    totals.count++;
    totals.bytes += file.bytes;
  }
  logPrune(log, 'vault', totals);
  return totals;
}
