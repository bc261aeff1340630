import { rm, rmdir, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Settings } from '../../config/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { fsyncDir } from '../../platform/atomic-write.js';
import {
  appendIngestAlerts,
  HOUR_MS,
  lingeringFiles,
  MINUTE_MS,
  parseSpoolName,
  readSyncState,
  stateFileRepair,
  syncStatePath,
  type IngestAlert,
  type SpoolScan,
  type SyncState,
} from '../../contracts/index.js';
import type { CrashPoint } from '../crash-point.js';
import { emptyCounts, ingestSpoolFile, type LineCounts } from './ingest-file.js';
import { ManifestCache } from '../../contracts/hour-manifest.js';
import { appendLateLines } from '../staging/late-store.js';
import { moveFile } from '../../platform/move-file.js';
import { entriesIn, statIfExists } from '../../platform/optional-files.js';
import { logPrune, type PruneTotals } from '../../platform/prune-log.js';
import { recordReceiptMinutes } from './receipt-minutes.js';
import { scanSpool, type SpoolFile } from '../../contracts/spool-scan.js';
import {
  ingestedDir,
  ingestedPath,
  latePath,
  quarantinePath,
  rejectedLinesDir,
  rejectedLinesPath,
  skewedTweetsDir,
  skewedTweetsPath,
} from '../../contracts/staging-layout.js';
import { hourKey } from '../../contracts/hour-label.js';

/** What one ingest pass did (DESIGN 6). */
export interface IngestResult extends LineCounts {
  /** Spool files ingested (then deleted or moved to `ingested/`). */
  files: number;
  /** Foreign files and files whose sha256 differed, moved to `<state>/quarantine/`. */
  quarantined: number;
  shaMismatches: number;
  /** Server 2 files left for the next run: the sync state that covers them has not arrived yet. */
  deferred: number;
  /** Server 2 files ingested without a recorded sha256 to check. */
  unverified: number;
  /** Lines that went to `late/` (their hour's staging was already removed). */
  lateLines: number;
  /** Malformed, invalid and over-long lines, kept under `<state>/quarantine/rejected/`. */
  rejected: number;
  /** UTC hour keys that received chunks. */
  stagedHours: Set<string>;
}

/** What ingest needs. */
export interface IngestDeps {
  settings: Settings;
  clock: Clock;
  log: Logger;
  /** Test hook at named steps (kill -9 tests); none in production. */
  crashPoint?: CrashPoint;
}

/** How long a server 2 file waits for the sync state that lists its sha256. */
export const SYNC_STATE_WAIT_MS = 10 * MINUTE_MS;
/** Spool files ingested between two retirements (about an hour of both servers). */
const RETIRE_BATCH_FILES = 120;
/** Spool folders of hours older than this are removed once empty. */
const EMPTY_FOLDER_AGE_MS = 2 * HOUR_MS;

/**
 * Whether a server 2 file without a recorded sha256 should wait: sync pushes its state after the files it
 * covers, so a state file older than the data file may just not have arrived yet. The wait is bounded, so a
 * sync that never pushes its state again does not hold the data back for ever.
 */
export function isAwaitingSyncState(fileChangedMs: number, stateChangedMs: number | null, wallNowMs: number): boolean {
  return (stateChangedMs === null || stateChangedMs < fileChangedMs) && wallNowMs - fileChangedMs < SYNC_STATE_WAIT_MS;
}

async function changedAtMs(path: string): Promise<number | null> {
  const info = await statIfExists(path);
  return info === null ? null : Math.max(info.ctimeMs, info.mtimeMs);
}

function addCounts(total: LineCounts, counts: LineCounts): void {
  total.lines += counts.lines;
  total.tweets += counts.tweets;
  total.malformed += counts.malformed;
  total.invalid += counts.invalid;
  total.nonTweet += counts.nonTweet;
  total.skewed += counts.skewed;
}

/**
 * Ingests every closed spool file of both servers into staging (DESIGN 3.1, 6): foreign names are quarantined,
 * server 2 files are checked against sync's sha256, tweets are routed to chunks by created_at hour, and only
 * after every chunk, late line and minute record is durable are the spool files deleted (or kept in `ingested/`).
 */
export async function ingestSpool(deps: IngestDeps): Promise<IngestResult> {
  const { settings, clock, log } = deps;
  const { spool, staging, state } = settings.paths;
  const result: IngestResult = {
    ...emptyCounts(),
    files: 0,
    quarantined: 0,
    shaMismatches: 0,
    deferred: 0,
    unverified: 0,
    lateLines: 0,
    rejected: 0,
    stagedHours: new Set(),
  };
  const setAside: SetAsideByHour = new Map();
  const alerts: IngestAlert[] = [];
  const at = new Date(clock.now()).toISOString();
  const scan = await scanSpool(spool);
  const { quarantine, reportOnly } = splitForeign(scan, settings);
  for (const foreign of quarantine) {
    const placed = await moveFile(foreign.path, quarantinePath(state, foreign.relativePath));
    result.quarantined++;
    const detail = `not a spool file name: ${foreign.relativePath}`;
    alerts.push({ at, kind: 'foreign-file', server: foreign.server, path: placed, detail });
    log.warn({ file: foreign.relativePath, quarantine: placed }, 'foreign file quarantined');
  }
  const once = [...reportOnly.map((path) => outsideAlert(at, path)), ...lingeringAlerts(scan, at, clock.now())];
  // A corrupt sync state reads as absent (set aside with an alert): server 2's files wait, then go unverified.
  const syncState = await readSyncState(spool, 'server2', stateFileRepair(state, clock.now(), log));
  const syncStateChangedMs = await changedAtMs(syncStatePath(spool));
  const manifests = new ManifestCache(staging);
  const isClosed = async (key: string) => ((await manifests.get(key))?.closed_at ?? null) !== null;
  let done: SpoolFile[] = [];
  // A backlog is retired batch by batch: staging never holds much more than a batch beside the spool.
  const retire = async () => {
    await recordReceiptMinutes(staging, done);
    deps.crashPoint?.('ingest-before-delete');
    await retireSpoolFiles(done, settings, deps.crashPoint);
    done = [];
  };
  for (const file of scan.files) {
    const expected = await expectedSha256(file, syncState, syncStateChangedMs);
    if (expected === 'wait') {
      result.deferred++;
      continue;
    }
    if (file.server === 'server2' && expected === null) result.unverified++;
    const keepOther = settings.hourly.archive_raw;
    const rejectedPath = rejectedLinesPath(state, file.relativePath);
    const createdWindow = {
      maxBeforeMs: settings.hourly.max_created_skew_h * HOUR_MS,
      quarantinePath: skewedTweetsPath(state, file.relativePath),
    };
    const ingested = await ingestSpoolFile(file, {
      staging,
      isClosed,
      expectedSha256: expected,
      keepOther,
      rejectedPath,
      createdWindow,
      crashPoint: deps.crashPoint,
    });
    if (ingested.mismatchSha256 !== null) {
      const placed = await moveFile(file.path, quarantinePath(state, file.relativePath));
      result.quarantined++;
      result.shaMismatches++;
      alerts.push({
        at,
        kind: 'sha256-mismatch',
        server: file.server,
        path: placed,
        detail:
          `sha256 ${ingested.mismatchSha256} differs from ${expected} recorded by sync; ` +
          `resend it with sync --resend ${file.name.slice(0, 16)}`,
      });
      const actual = ingested.mismatchSha256;
      log.error({ file: file.relativePath, quarantine: placed, expected, actual }, 'sha256 mismatch, file quarantined');
      continue;
    }
    addCounts(result, ingested.counts);
    // Every malformed (over-long included) and invalid line is kept in the file's rejected-lines record.
    const rejected = ingested.counts.malformed + ingested.counts.invalid;
    result.rejected += rejected;
    countSetAside(setAside, file, 'rejected-lines', rejected);
    countSetAside(setAside, file, 'skewed-created-at', ingested.counts.skewed);
    for (const key of ingested.stagedHours) result.stagedHours.add(key);
    // Appended per file, before the file is deleted, so memory holds one file's late lines at most.
    for (const [hour, lines] of ingested.lateLines) {
      const added = await appendLateLines(staging, hour, file.server, file.name, lines);
      result.lateLines += added;
      if (added === 0) continue;
      const path = latePath(staging, hour, file.server);
      const detail = `replay with hourly --hour ${hour} --include-late`;
      alerts.push({ at, kind: 'late-arrival', server: file.server, hour, lines: added, path, detail });
      log.warn({ hour, server: file.server, lines: added }, 'arrivals for a closed hour kept in late/');
    }
    done.push(file);
    result.files++;
    if (done.length === RETIRE_BATCH_FILES) await retire();
  }
  if (done.length > 0) await retire();
  alerts.push(...setAsideAlerts(setAside, state, at));
  for (const alert of await appendIngestAlerts(state, alerts, clock.now(), once)) {
    log.warn({ kind: alert.kind, file: alert.path }, alert.detail);
  }
  await pruneEmptyFolders(spool, scan.folders, clock.now());
  logPrune(log, 'ingested', await pruneIngested(staging, settings.hourly.keep_spool_h, clock.now()));
  if (result.files > 0 || result.quarantined > 0) {
    const { stagedHours, ...counts } = result;
    log.info({ ...counts, hours: [...stagedHours].sort() }, 'spool ingested');
  }
  return result;
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep));
}

/**
 * Foreign files to quarantine, and paths only to report: ingest moves nothing but files under a server folder,
 * and never one inside the state, staging or vault folder (overlapping settings must not move published files).
 */
function splitForeign(scan: SpoolScan, settings: Settings): { quarantine: SpoolScan['foreign']; reportOnly: string[] } {
  const { state, staging, vault } = settings.paths;
  const owned = (path: string) => [state, staging, vault].some((folder) => isInside(path, folder));
  return {
    quarantine: scan.foreign.filter((file) => !owned(file.path)),
    reportOnly: [...scan.outside, ...scan.foreign.filter((file) => owned(file.path)).map((file) => file.path)],
  };
}

type SetAsideKind = 'rejected-lines' | 'skewed-created-at';
/** Lines set aside in this run, by kind, receipt hour and server. */
type SetAsideByHour = Map<string, { kind: SetAsideKind; hour: string; server: string; lines: number }>;

function countSetAside(byHour: SetAsideByHour, file: SpoolFile, kind: SetAsideKind, lines: number): void {
  if (lines === 0) return;
  const hour = hourKey(Math.floor(file.minuteStartMs / HOUR_MS) * HOUR_MS);
  const key = `${kind}\0${hour}\0${file.server}`;
  const seen = byHour.get(key)?.lines ?? 0;
  byHour.set(key, { kind, hour, server: file.server, lines: seen + lines });
}

/** One alert per kind, receipt hour and server of this run, with its count (watch rate-limits them as other alerts). */
function setAsideAlerts(byHour: SetAsideByHour, state: string, at: string): IngestAlert[] {
  return [...byHour.values()].map(({ kind, hour, server, lines }) => {
    const rejected = kind === 'rejected-lines';
    const path = join(rejected ? rejectedLinesDir(state) : skewedTweetsDir(state), server);
    const what = rejected ? 'malformed, invalid or over-long lines' : 'tweets with created_at outside hourly.max_created_skew_h';
    return { at, kind, server, hour, lines, path, detail: `${lines} ${what} received in ${hour} kept in ${path}` };
  });
}

function outsideAlert(at: string, path: string): IngestAlert {
  const detail = `${path} is in the spool but not a server's spool file: left in place; move it out of paths.spool`;
  return { at, kind: 'outside-server-folder', server: '', path, detail };
}

function lingeringAlerts(scan: SpoolScan, at: string, nowMs: number): IngestAlert[] {
  return lingeringFiles(scan.pending, nowMs).map((file) => ({
    at,
    kind: 'lingering-file',
    server: file.server,
    path: file.path,
    detail:
      `${file.relativePath} (${file.kind === 'open' ? 'an open minute' : 'a temporary file'}) unchanged since ` +
      `${new Date(file.changedMs).toISOString()}: its writer is gone; check the stream daemon and sync, then move it away`,
  }));
}

async function expectedSha256(
  file: SpoolFile,
  syncState: SyncState | null,
  syncStateChangedMs: number | null,
): Promise<string | null | 'wait'> {
  if (file.server !== 'server2') return null;
  const expected = syncState?.sent[file.relativePath];
  if (expected !== undefined) return expected;
  const fileChangedMs = (await changedAtMs(file.path)) ?? 0;
  // Filesystem times are wall-clock times, so their age is measured on the wall clock, not on --now.
  return isAwaitingSyncState(fileChangedMs, syncStateChangedMs, Date.now()) ? 'wait' : null;
}

async function retireSpoolFiles(files: readonly SpoolFile[], settings: Settings, crashPoint?: CrashPoint): Promise<void> {
  const folders = new Set<string>();
  for (const file of files) {
    if (settings.hourly.keep_spool_h > 0) {
      await moveFile(file.path, ingestedPath(settings.paths.staging, file.relativePath));
    } else {
      await unlink(file.path);
      folders.add(dirname(file.path));
    }
    crashPoint?.('ingest-mid-delete');
  }
  for (const folder of folders) await fsyncDir(folder);
}

/** `server/YYYY-MM-DD[/HH]` -> end of that day or hour (ms), or null for other folders. */
function folderEndMs(root: string, folder: string): number | null {
  const [, date, hour] = relative(root, folder).split(sep);
  if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date) || (hour !== undefined && !/^\d{2}$/.test(hour))) return null;
  const start = Date.parse(`${date}T${hour ?? '00'}:00:00Z`);
  return Number.isNaN(start) ? null : start + (hour === undefined ? 24 * HOUR_MS : HOUR_MS);
}

async function pruneEmptyFolders(spool: string, folders: readonly string[], nowMs: number): Promise<void> {
  for (const folder of folders) {
    const endMs = folderEndMs(spool, folder);
    if (endMs === null || nowMs - endMs < EMPTY_FOLDER_AGE_MS) continue;
    await rmdir(folder).catch(() => undefined);
  }
}

/** Deletes kept spool files older than `keep_spool_h` (by their minute); returns how many and their bytes. */
async function pruneIngested(staging: string, keepHours: number, nowMs: number): Promise<PruneTotals> {
  const pruned: PruneTotals = { count: 0, bytes: 0 };
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await entriesIn(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(path);
        await rmdir(path).catch(() => undefined);
        continue;
      }
      const parsed = parseSpoolName(entry.name.replace(/~\d+$/, ''));
      if (parsed === null || nowMs - parsed.minuteStartMs < keepHours * HOUR_MS) continue;
      const info = await statIfExists(path);
      await rm(path, { force: true });
      pruned.count++;
      pruned.bytes += info?.size ?? 0;
    }
  };
  await walk(ingestedDir(staging));
  return pruned;
}
