import { DAY_MS, HOUR_MS } from '../../platform/time.js';
import type { PruneTotals } from '../../platform/prune-log.js';

/** Folders `hourly` prunes by age (the `retention` settings, DESIGN 9). */
export type RetainedFolder = 'quarantine' | 'late';

/** One prunable unit: a quarantined file, or one hour's `late/<hour>/` folder (pruned whole). */
export interface RetainedEntry {
  folder: RetainedFolder;
  path: string;
  bytes: number;
  /** Newest modification inside the unit (epoch ms): a unit still being appended to is young. */
  changedMs: number;
  /** For `late`: the hour the arrivals belong to. */
  hourKey: string | null;
}

/** Days each folder is kept; 0 keeps it for ever. */
export interface RetentionDays {
  quarantine_days: number;
  late_days: number;
}

const DAYS_KEY: Record<RetainedFolder, keyof RetentionDays> = { quarantine: 'quarantine_days', late: 'late_days' };

/**
 * The entries to delete: older than their folder's limit. Late arrivals of an hour without a manifest are
 * never pruned: that hour is not published, and `hourly --hour H --include-late` still needs them.
 */
export function planPrune(
  entries: readonly RetainedEntry[],
  days: RetentionDays,
  nowMs: number,
  publishedHours: ReadonlySet<string>,
): RetainedEntry[] {
  return entries.filter((entry) => {
    const limitDays = days[DAYS_KEY[entry.folder]];
    if (limitDays === 0 || nowMs - entry.changedMs < limitDays * DAY_MS) return false;
    return entry.folder !== 'late' || (entry.hourKey !== null && publishedHours.has(entry.hourKey));
  });
}

/** Pruned counts and bytes per folder, for the log line. */
export function pruneTotals(pruned: readonly RetainedEntry[]): Record<RetainedFolder, PruneTotals> {
  const totals: Record<RetainedFolder, PruneTotals> = { quarantine: { count: 0, bytes: 0 }, late: { count: 0, bytes: 0 } };
  for (const entry of pruned) {
    totals[entry.folder].count++;
    totals[entry.folder].bytes += entry.bytes;
  }
  return totals;
}

/** One hour's raw archive in the vault, `<day>/<label>_raw.jsonl.xz` (`hourly.archive_raw`). */
export interface RawArchiveFile {
  /** The day folder (the label's date) and the file's name in it. */
  day: string;
  name: string;
  path: string;
  bytes: number;
  /** The UTC hour the file's label names. */
  hourKey: string;
  hourStartMs: number;
}

/**
 * Raw archives whose hour ended `days` or more before `nowMs` (0 keeps them for ever). The age counts from the
 * hour the file holds, not from its mtime: an amendment or a rebuild rewrites the file and a restore from a
 * backup resets the mtime, while "keep N days of raw data" is about the data; the name tells which file goes
 * next, and `hourly --now` ages files as it closes hours.
 */
export function expiredRawArchives(files: readonly RawArchiveFile[], days: number, nowMs: number): RawArchiveFile[] {
  return files.filter((file) => days > 0 && nowMs - (file.hourStartMs + HOUR_MS) >= days * DAY_MS);
}

/**
 * The raw archives to delete: expired, and of a closed hour (its manifest records `closed_at`). An hour closes
 * `staging_retention_h` after its first publication, when its staging is removed; until then an amendment (or
 * `hourly --hour`) would rebuild the raw file, and an hour without a manifest is still to be published. After
 * closing, a late replay adds to the published CSVs only, so nothing writes the raw file again.
 */
export function planRawArchivePrune(
  files: readonly RawArchiveFile[],
  days: number,
  nowMs: number,
  closedHours: ReadonlySet<string>,
): RawArchiveFile[] {
  return expiredRawArchives(files, days, nowMs).filter((file) => closedHours.has(file.hourKey));
}
