import { rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Settings } from '../../config/index.js';
import type { Logger } from '../../platform/logger.js';
import { entriesIn, statIfExists } from '../../platform/optional-files.js';
import { folderSize } from '../../platform/folder-size.js';
import { listManifestHours } from '../../contracts/hour-manifest.js';
import { logPrune, type PruneTotals } from '../../platform/prune-log.js';
import { planPrune, pruneTotals, type RetainedEntry, type RetainedFolder } from './prune-plan.js';

async function quarantineEntries(dir: string): Promise<RetainedEntry[]> {
  const found: RetainedEntry[] = [];
  for (const entry of await entriesIn(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      found.push(...(await quarantineEntries(path)));
      continue;
    }
    const info = await statIfExists(path);
    if (info !== null) found.push({ folder: 'quarantine', path, bytes: info.size, changedMs: info.mtimeMs, hourKey: null });
  }
  return found;
}

async function lateEntries(dir: string): Promise<RetainedEntry[]> {
  const found: RetainedEntry[] = [];
  for (const entry of await entriesIn(dir)) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    found.push({ folder: 'late', path, ...(await folderSize(path)), hourKey: entry.name });
  }
  return found;
}

/** Removes folders under `dir` left empty by pruning (never `dir` itself). */
async function removeEmptyFolders(dir: string): Promise<void> {
  for (const entry of await entriesIn(dir)) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    await removeEmptyFolders(path);
    await rmdir(path).catch(() => undefined);
  }
}

/**
 * Deletes quarantined files and late arrivals older than the `retention` settings and logs what went, per
 * folder. Called by `hourly` under its lock. File times are wall-clock times, so ages use `wallNowMs`.
 */
export async function pruneRetained(settings: Settings, log: Logger, wallNowMs: number): Promise<Record<RetainedFolder, PruneTotals>> {
  const quarantineDir = join(settings.paths.state, 'quarantine');
  const lateRoot = join(settings.paths.staging, 'late');
  const entries = [...(await quarantineEntries(quarantineDir)), ...(await lateEntries(lateRoot))];
  const published = new Set(await listManifestHours(settings.paths.staging));
  const pruned = planPrune(entries, settings.retention, wallNowMs, published);
  for (const entry of pruned) await rm(entry.path, { recursive: true, force: true });
  await removeEmptyFolders(quarantineDir);
  const totals = pruneTotals(pruned);
  for (const [folder, folderTotals] of Object.entries(totals)) logPrune(log, folder, folderTotals);
  return totals;
}
