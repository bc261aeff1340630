import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSha256Sums, type Sha256Sums } from '../contracts/index.js';
import { OsfRequestError, type OsfDayFolders, type OsfEntity } from '../osf/index.js';
import { removeLeftoverTemporaries } from '../platform/atomic-write.js';
import { fileSha256 } from '../platform/file-sha256.js';
import { isNotFound } from '../platform/fs-errors.js';
import { DownloadError } from './download-error.js';
import { expectedHash, type ExpectedHash } from './expected-hash.js';
import type { WantedDay, WantedHour } from './hour-range.js';
import { accessHint, isTransientStatus, retryDelayMs, TRANSIENT_RETRIES } from './retry-policy.js';
import { isOnDisk, type FileResult, type FileStatus } from './summary.js';
import { transferVerified, type TransferDeps } from './transfer.js';

/** What every day of one download shares. */
export interface DownloadRun extends TransferDeps {
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
async function listDay(run: DownloadRun, date: string, fresh: boolean): Promise<Map<string, OsfEntity> | null> {
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

/** A file handled twice (SHA256SUMS changed meanwhile): the bytes add up, and a first download stays one. */
function mergeResults(previous: FileResult | undefined, next: FileResult): FileResult {
  if (previous === undefined) return next;
  const status: FileStatus = previous.status === 'downloaded' && next.status === 'replaced' ? 'downloaded' : next.status;
  return { ...next, status, bytes: previous.bytes + next.bytes };
}

/** One label day: its OSF listing and SHA256SUMS, listed again when a file disagrees with them. */
export class DaySync {
  readonly #dir: string;
  readonly #hours: Map<string, WantedHour>;
  readonly #results = new Map<string, FileResult>();
  #sums: Sha256Sums | null = null;
  #sumsProblem: string | null = null;
  #refreshing = false;

  private constructor(
    private readonly run: DownloadRun,
    private readonly day: WantedDay,
    private listing: Map<string, OsfEntity> | null,
    /** Local sha256 by file name (null: no local copy), kept up to date as files are written. */
    private readonly local: Map<string, string | null>,
  ) {
    this.#dir = join(run.outDir, day.date);
    this.#hours = new Map(day.hours.map((hour) => [hour.idsName, hour]));
  }

  /**
   * Lists the day on OSF and hashes the local copies of its requested files (after removing partial downloads
   * of a killed run); `bytesAhead` is what the listing says remains to be transferred.
   */
  static async open(run: DownloadRun, day: WantedDay): Promise<{ sync: DaySync; bytesAhead: number }> {
    const dir = join(run.outDir, day.date);
    await removeLeftoverTemporaries(dir);
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

  /** Syncs SHA256SUMS first (everything else is checked against it), then the report and the IDs files. */
  async sync(): Promise<FileResult[]> {
    const { day } = this;
    if (this.listing === null) {
      const reason = `OSF has no folder /${day.date.replaceAll('-', '/')}/ (not published yet?)`;
      return day.hours.map((hour) => this.#record(hour.idsName, 'missing', 0, reason, null));
    }
    await this.#syncSums();
    for (const name of [day.reportName, ...this.#hours.keys()]) await this.#syncFile(name);
    return [...this.#results.values()];
  }

  async #syncSums(): Promise<void> {
    const result = await this.#syncFile(this.day.sumsName);
    if (isOnDisk(result.status)) {
      this.#sums = parseSha256Sums(await readFile(join(this.#dir, this.day.sumsName), 'utf8'));
      this.#sumsProblem = null;
    } else {
      this.#sums = null;
      this.#sumsProblem = `cannot be checked: ${this.day.sumsName} ${result.status === 'missing' ? 'is not on OSF' : 'failed'}`;
    }
  }

  /** The sha256 `name` must have, from OSF's listing and (for every file but itself) SHA256SUMS. */
  #expected(entity: OsfEntity, name: string): ExpectedHash {
    if (name === this.day.sumsName) return expectedHash(entity.sha256, null, name);
    if (this.#sumsProblem !== null) return { ok: false, reason: this.#sumsProblem };
    return expectedHash(entity.sha256, this.#sums?.hashes.get(name), this.day.sumsName);
  }

  /**
   * Makes `<dir>/<name>` the verified OSF copy: kept if it already is, else downloaded. A mismatch (bad bytes,
   * or OSF and SHA256SUMS disagreeing while an amendment is being uploaded) is retried once after listing the
   * day again.
   */
  async #syncFile(name: string): Promise<FileResult> {
    let bytes = 0;
    for (let attempt = 1; ; attempt++) {
      const entity = this.listing?.get(name);
      if (entity === undefined) {
        const reason = `not in OSF folder /${this.day.date.replaceAll('-', '/')}/ (not published yet?)`;
        return this.#record(name, 'missing', bytes, reason, null);
      }
      const expected = this.#expected(entity, name);
      const local = this.local.get(name) ?? null;
      if (expected.ok && local === expected.sha256) return this.#record(name, 'unchanged', bytes, null, entity.version);
      const outcome = expected.ok
        ? await transferVerified(this.run, entity, expected.sha256, join(this.#dir, name))
        : { ok: false as const, mismatch: this.#sumsProblem === null, reason: expected.reason, bytes: 0 };
      bytes += outcome.bytes;
      if (outcome.ok) {
        this.local.set(name, outcome.sha256);
        return this.#record(name, local === null ? 'downloaded' : 'replaced', bytes, null, entity.version);
      }
      if (!outcome.mismatch || attempt === 2) {
        return this.#record(name, 'failed', bytes, attempt === 2 ? `${outcome.reason} (also after a retry)` : outcome.reason, null);
      }
      this.run.progress.retrying(outcome.bytes);
      await this.#refresh(name);
    }
  }

  /**
   * Lists the day again. When SHA256SUMS changed on OSF meanwhile, it is fetched again and the files already
   * kept that it no longer vouches for are synced again, so the folder stays consistent for `sha256sum -c`.
   */
  async #refresh(name: string): Promise<void> {
    this.listing = await listDay(this.run, this.day.date, true);
    const sumsName = this.day.sumsName;
    const remoteSums = this.listing?.get(sumsName)?.sha256?.toLowerCase();
    if (name === sumsName || this.#refreshing || remoteSums === this.local.get(sumsName)) return;
    this.#refreshing = true;
    try {
      await this.#syncSums();
      const vouched = (file: string) => this.#sums?.hashes.get(file) === this.local.get(file);
      const stale = [...this.#results.values()].filter(
        (result) => result.name !== sumsName && result.name !== name && isOnDisk(result.status) && !vouched(result.name),
      );
      for (const result of stale) await this.#syncFile(result.name);
    } finally {
      this.#refreshing = false;
    }
  }

  /** Records (merging with an earlier outcome of the same file) and reports one file's outcome. */
  #record(name: string, status: FileStatus, bytes: number, reason: string | null, version: number | null): FileResult {
    const hour = this.#hours.get(name);
    const result = mergeResults(this.#results.get(name), {
      day: this.day.date,
      name,
      hourKey: hour?.hourKey ?? null,
      label: hour?.label ?? null,
      status,
      version,
      bytes,
      reason,
    });
    this.#results.set(name, result);
    this.run.progress.fileDone(result);
    return result;
  }
}
