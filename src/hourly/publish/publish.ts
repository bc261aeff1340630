import { join } from 'node:path';
import { minuteRanges, type HourStats } from '../../contracts/index.js';
import type { ChunkRef } from '../../contracts/copy-index.js';
import { listChunks, loadCopyIndex } from '../staging/copy-index.js';
import { vaultNames } from './day-files.js';
import { hourKey, hourLabel } from '../../contracts/hour-label.js';
import { readManifest, type HourManifest } from '../../contracts/hour-manifest.js';
import { buildFiles, refreshReport, writeVersion } from './hour-version.js';
import type { PublishDeps, PublishOutcome } from './publish-types.js';
import { idsDigest, mergeCopies, type MergedHour } from '../../merge/merge-copies.js';
import { removeLeftoverTemporaries } from '../../platform/atomic-write.js';
import { missingMinutes } from '../ingest/receipt-minutes.js';
import { hourStagingDir, SERVERS } from '../../contracts/staging-layout.js';

/** Thrown when an hour can no longer be rebuilt from staging. */
export class HourClosedError extends Error {
  constructor(readonly hour: string, closedAt: string) {
    super(
      `Cannot rebuild hour ${hour}: its staging was removed at ${closedAt} (staging_retention_h); ` +
        `replay its late arrivals with hourly --hour ${hour} --include-late`,
    );
    this.name = 'HourClosedError';
  }
}

/** Loads an hour's copies and merges them; the full index is dropped on return, only the winning rows stay. */
async function mergeHour(chunks: readonly ChunkRef[], previous: HourManifest | null): Promise<MergedHour & { copies: number }> {
  const index = await loadCopyIndex(chunks);
  return { ...mergeCopies(index, previous === null ? null : new Set(previous.first_chunks)), copies: index.count };
}

/**
 * Publishes (or amends) one UTC hour from its staging (DESIGN 3.3, 3.4, 6): merge every copy, write the three xz
 * files, the day report and SHA256SUMS under temporary names, rename them all, tell `onPublished`, then write the
 * manifest as the commit point. When the ID set is unchanged and `rebuild` is false, only the report line is
 * refreshed (if it changed). A failure at any step leaves the previous files in place.
 */
export async function publishHour(deps: PublishDeps, hourMs: number, options: { rebuild: boolean }): Promise<PublishOutcome> {
  const { settings, log } = deps;
  const { staging, vault } = settings.paths;
  const key = hourKey(hourMs);
  const label = hourLabel(hourMs, settings.hourly.output_timezone);
  const previous = await readManifest(staging, key);
  if (previous !== null && previous.closed_at !== null) throw new HourClosedError(key, previous.closed_at);
  const startedMs = performance.now();
  for (const server of SERVERS) await removeLeftoverTemporaries(join(hourStagingDir(staging, key), server));
  const chunks = await listChunks(staging, key);
  const merged = await mergeHour(chunks, previous);
  const stats: HourStats = {
    ...merged.counts,
    late: merged.late,
    missing1: minuteRanges(await missingMinutes(staging, hourMs, 'server1')),
    missing2: minuteRanges(await missingMinutes(staging, hourMs, 'server2')),
  };
  const names = vaultNames(vault, label.date, label.label);
  await removeLeftoverTemporaries(names.dayDir);
  const chunkKeys = chunks.map((chunk) => chunk.key);
  const base = { key, label, names, stats, chunkKeys, previous };
  // With archive_raw, any new chunk changes the raw archive, so the hour is rebuilt rather than refreshed.
  const sameIds =
    previous !== null &&
    !options.rebuild &&
    !settings.hourly.archive_raw &&
    idsDigest(merged.rows) === previous.ids_digest;
  const outcome = sameIds
    ? await refreshReport(deps, { ...base, previous })
    : await writeVersion(deps, base, await buildFiles(deps, base, merged.rows));
  if (outcome.kind !== 'unchanged') {
    const { counts, version } = outcome.manifest;
    const durationMs = Math.round(performance.now() - startedMs);
    const { kind } = outcome;
    log.info({ hour: key, label: label.label, kind, version, ...counts, copies: merged.copies, durationMs }, 'hour published');
  }
  return outcome;
}

