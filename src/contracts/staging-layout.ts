import { join } from 'node:path';

/**
 * Where `hourly` keeps its files (DESIGN 3.2, 3.4). Staging is owned by `hourly` alone:
 * - `hours/<YYYY-MM-DDTHH>/<server>/<spool name>` one chunk per (spool file, created_at hour): that file's lines
 *   of the hour, and `<spool name>.idx` its compact index, written last (a chunk without it does not exist yet);
 * - `manifests/<YYYY-MM-DDTHH>.json` the published state of an hour (the commit point of a publication);
 * - `minutes/<YYYY-MM-DDTHH>.json` which receipt minutes of that hour had a spool file, per server;
 * - `late/<YYYY-MM-DDTHH>/<server>.jsonl` arrivals for an hour whose staging was already removed;
 * - `ingested/<server>/...` spool files kept `keep_spool_h` after ingest; `readiness.json` watermark observations.
 */

/** The two servers whose spools `hourly` merges. */
export type Server = 'server1' | 'server2';

/** Both servers, server 1 first (the order copies are ranked in). */
export const SERVERS: readonly Server[] = ['server1', 'server2'];

/** Suffix of a chunk's index file. */
export const INDEX_SUFFIX = '.idx';

/** Suffix of the lines of a spool file that are not tweets (kept by receipt hour for `archive_raw`). */
export const OTHER_SUFFIX = '.other';

/** Folder of every hour's chunks. */
export function stagingHoursDir(staging: string): string {
  return join(staging, 'hours');
}

/** Folder of an hour's chunks. */
export function hourStagingDir(staging: string, hourKey: string): string {
  return join(stagingHoursDir(staging), hourKey);
}

/** Data file of the chunk that spool file `spoolName` of `server` fed into hour `hourKey`. */
export function chunkPath(staging: string, hourKey: string, server: Server, spoolName: string): string {
  return join(hourStagingDir(staging, hourKey), server, spoolName);
}

/** Manifest of a published hour. */
export function manifestPath(staging: string, hourKey: string): string {
  return join(staging, 'manifests', `${hourKey}.json`);
}

/** Folder of all hour manifests. */
export function manifestsDir(staging: string): string {
  return join(staging, 'manifests');
}

/** Folder of the receipt minute records. */
export function minutesDir(staging: string): string {
  return join(staging, 'minutes');
}

/** Receipt minutes of one UTC hour, per server. */
export function minutesPath(staging: string, hourKey: string): string {
  return join(minutesDir(staging), `${hourKey}.json`);
}

/** Arrivals of `server` for hour `hourKey` after its staging was removed (DESIGN 3.4). */
export function latePath(staging: string, hourKey: string, server: Server): string {
  return join(staging, 'late', hourKey, `${server}.jsonl`);
}

/** Folder of late arrivals of one hour. */
export function lateDir(staging: string, hourKey: string): string {
  return join(staging, 'late', hourKey);
}

/** Where an ingested spool file is kept for `keep_spool_h` (`relativePath` is spool-relative, `server/...`). */
export function ingestedPath(staging: string, relativePath: string): string {
  return join(staging, 'ingested', relativePath);
}

/** Folder of kept spool files. */
export function ingestedDir(staging: string): string {
  return join(staging, 'ingested');
}

/** Where a foreign or corrupt spool file is moved (`relativePath` is spool-relative, `server/...`). */
export function quarantinePath(stateDir: string, relativePath: string): string {
  return join(stateDir, 'quarantine', relativePath);
}

/**
 * Where the rejected lines of one spool file are kept (issue 15.5): one file per spool file, rewritten whole,
 * so ingesting the file again after a crash replaces it instead of adding duplicates.
 */
export function rejectedLinesPath(stateDir: string, relativePath: string): string {
  return join(rejectedLinesDir(stateDir), `${relativePath}.jsonl`);
}

/** Where the tweets of one spool file whose created_at is far from their receipt are kept (issue 15.4). */
export function skewedTweetsPath(stateDir: string, relativePath: string): string {
  return join(skewedTweetsDir(stateDir), `${relativePath}.jsonl`);
}

/** The folder of all kept skewed tweets, by spool path. */
export function skewedTweetsDir(stateDir: string): string {
  return join(stateDir, 'quarantine', 'skewed');
}

/** The folder of all kept rejected lines, by spool path. */
export function rejectedLinesDir(stateDir: string): string {
  return join(stateDir, 'quarantine', 'rejected');
}

/** Watermark observations kept between runs (readiness holds a deadline while a watermark advances). */
export function readinessStatePath(staging: string): string {
  return join(staging, 'readiness.json');
}

/** Ingest problems for `watch` and the daily report: sha256 mismatches, foreign files, late arrivals. */
export function ingestAlertsPath(stateDir: string): string {
  return join(stateDir, 'ingest-alerts.json');
}

/** The lock that keeps two `hourly` runs apart. */
export function hourlyLockPath(stateDir: string): string {
  return join(stateDir, 'hourly.lock');
}
