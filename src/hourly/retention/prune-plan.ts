import { DAY_MS } from '../../platform/time.js';
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
