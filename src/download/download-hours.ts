import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hourKey, parseSha256Sums, type Sha256Sums } from '../contracts/index.js';
import { OsfDayFolders, OsfRequestError, WaterButler, type OsfEntity } from '../osf/index.js';
import { isTemporaryName } from '../platform/atomic-write.js';
import type { Clock } from '../platform/clock.js';
import { fileSha256 } from '../platform/file-sha256.js';
import { isNotFound } from '../platform/fs-errors.js';
import { withLock } from '../platform/lock-file.js';
import { namesIn } from '../platform/optional-files.js';
import { expectedHash } from './expected-hash.js';
import { wantedDays, type WantedDay } from './hour-range.js';
import { silentProgress, type DownloadProgress } from './progress.js';
import { accessHint, isTransientStatus, retryDelayMs, TRANSIENT_RETRIES } from './retry-policy.js';
import type { DownloadSummary, FileResult } from './summary.js';
import { transferVerified, type TransferDeps } from './transfer.js';

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

/** OSF could not be listed at all (refused, no such project, no answer): nothing can be downloaded. */
export class DownloadError extends Error {
  override name = 'DownloadError';
}

/** Only one download writes into an output folder at a time; so any temporary file found there is stale. */
const LOCK_NAME = '.sampled-stream-download.lock';

interface Run extends TransferDeps {
  folders: OsfDayFolders;
  outDir: string;
  projectId: string;
}

async function localSha256(path: string): Promise<string | null> {
  try {
    return await fileSha256(path);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** Lists a day folder, retrying transient failures; anything else stops the whole download. */
async function listDay(run: Run, date: string, fresh: boolean): Promise<Map<string, OsfEntity> | null> {
  for (let retry = 1; ; retry++) {
    try {
      return await run.folders.dayFiles(date, fresh);
    } catch (err) {
      if (!(err instanceof OsfRequestError)) throw err;
      if (isTransientStatus(err.status) && retry <= TRANSIENT_RETRIES) {
        await run.clock.sleep(retryDelayMs(retry, err.retryAfterMs));
        continue;
      }
      const notFound = err.status === 404 ? `is "${run.projectId}" the project's ID (osf.io/<ID>/)?` : null;
      const transient = isTransientStatus(err.status) ? `gave up after ${TRANSIENT_RETRIES} retries` : null;
      const hint = accessHint(err.status) ?? notFound ?? transient;
      throw new DownloadError(hint === null ? err.message : `${err.message}: ${hint}`, { cause: err });
    }
  }
}

/** Partial downloads a killed run left under temporary names (we hold the folder's lock, so none is live). */
async function removeStaleTemporaries(dir: string): Promise<void> {
  for (const name of await namesIn(dir)) if (isTemporaryName(name)) await rm(join(dir, name), { force: true });
}

/** One label day: its OSF listing and SHA256SUMS, refreshed when a file disagrees with them. */
class DaySync {
  readonly dir: string;
  #sums: Sha256Sums | null = null;
  #sumsProblem: string | null = null;
  #sumsResult: FileResult | null = null;

  constructor(
    private readonly run: Run,
    readonly day: WantedDay,
    private listing: Map<string, OsfEntity> | null,
    /** Local sha256 by file name (null: no local copy), kept up to date as files are written. */
    private readonly local: Map<string, string | null>,
  ) {
    this.dir = join(run.outDir, day.date);
  }

  /** The day's files in order: SHA256SUMS first (everything else is checked against it), report, IDs files. */
  async sync(): Promise<FileResult[]> {
    const { day } = this;
    if (this.listing === null) {
      const reason = `OSF has no folder /${day.date.replaceAll('-', '/')}/ (not published yet?)`;
      return day.hours.map((hour) => this.#result(hour.idsName, hour, 'missing', 0, reason));
    }
    await this.#syncSums();
    const results = [await this.#syncFile(day.reportName, null)];
    for (const hour of day.hours) results.push(await this.#syncFile(hour.idsName, hour));
    return [this.#sumsResult!, ...results];
  }

  /** The local sha256 of each requested file, and the bytes the listing says are to be transferred. */
  static async open(run: Run, day: WantedDay): Promise<{ sync: DaySync; bytesAhead: number }> {
    const dir = join(run.outDir, day.date);
    await removeStaleTemporaries(dir);
    const listing = await listDay(run, day.date, false);
    const local = new Map<string, string | null>();
    let bytesAhead = 0;
    for (const name of [day.sumsName, day.reportName, ...day.hours.map((hour) => hour.idsName)]) {
      const sha256 = await localSha256(join(dir, name));
      local.set(name, sha256);
      const entity = listing?.get(name);
      if (entity && entity.sha256?.toLowerCase() !== sha256) bytesAhead += entity.size ?? 0;
    }
    return { sync: new DaySync(run, day, listing, local), bytesAhead };
  }

  /** Syncs SHA256SUMS (again, when it changed on OSF during the run: bytes add up, a first download stays one). */
  async #syncSums(): Promise<void> {
    const result = await this.#syncFile(this.day.sumsName, null);
    const previous = this.#sumsResult;
    this.#sumsResult =
      previous === null
        ? result
        : { ...result, bytes: previous.bytes + result.bytes, status: previous.status === 'downloaded' && result.status === 'replaced' ? 'downloaded' : result.status };
    if (result.status === 'missing' || result.status === 'failed') {
      this.#sums = null;
      this.#sumsProblem = `cannot be checked: ${this.day.sumsName} ${result.status === 'missing' ? 'is not on OSF' : 'failed'}`;
    } else {
      this.#sums = parseSha256Sums(await readFile(join(this.dir, this.day.sumsName), 'utf8'));
      this.#sumsProblem = null;
    }
  }

  /** The sha256 `name` must have, from OSF's listing and (for every file but itself) SHA256SUMS. */
  #expected(entity: OsfEntity, name: string) {
    if (name === this.day.sumsName) return expectedHash(entity.sha256, null, name);
    if (this.#sumsProblem !== null) return { ok: false as const, reason: this.#sumsProblem };
    return expectedHash(entity.sha256, this.#sums?.hashes.get(name), this.day.sumsName);
  }

  /**
   * Makes `<dir>/<name>` the verified OSF copy: kept if it already is, else downloaded. A mismatch (bad bytes,
   * or OSF and SHA256SUMS disagreeing during an upload) is retried once after listing the day again.
   */
  async #syncFile(name: string, hour: WantedDay['hours'][number] | null): Promise<FileResult> {
    let bytes = 0;
    for (let attempt = 1; ; attempt++) {
      const entity = this.listing?.get(name);
      if (entity === undefined) {
        return this.#result(name, hour, 'missing', bytes, `not in OSF folder /${this.day.date.replaceAll('-', '/')}/ (not published yet?)`);
      }
      const expected = this.#expected(entity, name);
      const local = this.local.get(name) ?? null;
      if (expected.ok && local === expected.sha256) return this.#result(name, hour, 'unchanged', bytes, null, entity.version);
      const outcome = expected.ok
        ? await transferVerified(this.run, entity, expected.sha256, join(this.dir, name))
        : { ok: false as const, mismatch: this.#sumsProblem === null, reason: expected.reason, bytes: 0 };
      bytes += outcome.bytes;
      if (outcome.ok) {
        this.local.set(name, outcome.sha256);
        return this.#result(name, hour, local === null ? 'downloaded' : 'replaced', bytes, null, entity.version);
      }
      if (!outcome.mismatch || attempt === 2) {
        return this.#result(name, hour, 'failed', bytes, attempt === 2 ? `${outcome.reason} (also after a retry)` : outcome.reason);
      }
      this.run.progress.retrying(outcome.bytes);
      await this.#refresh(name);
    }
  }

  /** Lists the day again; a SHA256SUMS that changed meanwhile is fetched again before `name` is retried. */
  async #refresh(name: string): Promise<void> {
    this.listing = await listDay(this.run, this.day.date, true);
    const sums = this.listing?.get(this.day.sumsName);
    if (name !== this.day.sumsName && sums?.sha256?.toLowerCase() !== this.local.get(this.day.sumsName)) {
      await this.#syncSums();
    }
  }

  #result(
    name: string,
    hour: WantedDay['hours'][number] | null,
    status: FileResult['status'],
    bytes: number,
    reason: string | null,
    version: number | null = null,
  ): FileResult {
    const result = { day: this.day.date, name, hourKey: hour?.hourKey ?? null, label: hour?.label ?? null, status, version, bytes, reason };
    this.run.progress.fileDone(result);
    return result;
  }
}

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
  const run: Run = { client, clock, progress, folders: new OsfDayFolders(client), outDir, projectId };
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
    return {
      fromHour: hourKey(fromMs),
      toHour: hourKey(toMs),
      timeZone,
      outDir,
      files,
      bytesDownloaded: files.reduce((sum, file) => sum + file.bytes, 0),
      elapsedMs: clock.now() - startMs,
      ok: files.every((file) => file.status !== 'missing' && file.status !== 'failed'),
    };
  });
}
