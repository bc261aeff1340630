import { join } from 'node:path';
import { hourKey } from '../contracts/index.js';
import { OsfDayFolders, WaterButler } from '../osf/index.js';
import type { Clock } from '../platform/clock.js';
import { withLock } from '../platform/lock-file.js';
import { DaySync, type DownloadRun } from './day-sync.js';
import { wantedDays } from './hour-range.js';
import { findLabelZoneProblem } from './label-zone.js';
import { silentProgress, type DownloadProgress } from './progress.js';
import { isOnDisk, type DownloadSummary, type FileResult } from './summary.js';

/** What to download and from where. */
export interface DownloadOptions {
  /** Start of the first and of the last UTC hour (inclusive). */
  fromMs: number;
  toMs: number;
  /** Files go to `<outDir>/<label date>/`. */
  outDir: string;
  /** WaterButler base URL, e.g. https://files.osf.io */
  baseUrl: string;
  projectId: string;
  /** OSF personal access token; null for a public project. */
  token: string | null;
  /** The zone of the vault labels (`hourly.output_timezone` of the publishing server). */
  timeZone: string;
}

/** Injected: the clock (rate, ETA, retry waits) and where progress goes. */
export interface DownloadDeps {
  clock: Clock;
  progress?: DownloadProgress;
}

/** Only one download writes into an output folder at a time; so any temporary file found there is stale. */
const LOCK_NAME = '.sampled-stream-download.lock';

/**
 * Downloads the IDs files of the UTC hours `fromMs`..`toMs` from an OSF project, with each label day's report
 * and SHA256SUMS, into `<outDir>/<label date>/` (issue 11). Every file is checked against the day's SHA256SUMS
 * and the sha256 OSF lists, and written atomically. Files already present with the right hash are kept, so a
 * re-run resumes; a local copy that differs from OSF (an amended hour) is replaced. Throws DownloadError when
 * OSF cannot be listed; every per-file problem is in the summary instead.
 */
export async function downloadHours(options: DownloadOptions, deps: DownloadDeps): Promise<DownloadSummary> {
  const { fromMs, toMs, outDir, baseUrl, projectId, token, timeZone } = options;
  const { clock, progress = silentProgress } = deps;
  const days = wantedDays(fromMs, toMs, timeZone);
  const client = new WaterButler({ baseUrl, projectId, token, clock });
  const run: DownloadRun = { client, clock, progress, folders: new OsfDayFolders(client), outDir, projectId };
  return withLock(join(outDir, LOCK_NAME), async () => {
    const startMs = clock.now();
    const syncs: DaySync[] = [];
    let bytesAhead = 0;
    for (const day of days) {
      const opened = await DaySync.open(run, day);
      syncs.push(opened.sync);
      bytesAhead += opened.bytesAhead;
    }
    progress.begin({ hours: days.reduce((sum, day) => sum + day.hours.length, 0), bytes: bytesAhead });
    const files: FileResult[] = [];
    for (const sync of syncs) files.push(...(await sync.sync()));
    progress.end();
    // Without the publisher's settings the label zone is an assumption: the IDs' own creation times check it.
    const zoneProblem = await findLabelZoneProblem(outDir, files, timeZone);
    return {
      fromHour: hourKey(fromMs),
      toHour: hourKey(toMs),
      timeZone,
      outDir,
      files,
      bytesDownloaded: files.reduce((sum, file) => sum + file.bytes, 0),
      elapsedMs: clock.now() - startMs,
      zoneProblem,
      ok: zoneProblem === null && files.every((file) => isOnDisk(file.status)),
    };
  });
}
