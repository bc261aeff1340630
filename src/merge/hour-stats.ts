import { compareIds } from './compare-ids.js';
import { type MinuteRange, normalizeRanges } from './minute-ranges.js';

/** Unique-ID counts of one hour, DESIGN 6. */
export interface HourCounts {
  serv1: number;
  serv2: number;
  total: number;
  only1: number;
  only2: number;
  diff: number;
}

/** Per-hour statistics from each server's unique IDs, plus late arrivals and missing minutes. */
export interface HourStats extends HourCounts {
  late: number;
  missing1: MinuteRange[];
  missing2: MinuteRange[];
}

/** Per-hour statistics from each server's IDs (duplicates allowed; sets are built here). */
export function hourStats(input: {
  ids1: Iterable<string>;
  ids2: Iterable<string>;
  late: number;
  missing1: MinuteRange[];
  missing2: MinuteRange[];
}): HourStats {
  const set1 = new Set(input.ids1);
  const set2 = new Set(input.ids2);
  let both = 0;
  for (const id of set1) if (set2.has(id)) both++;
  return {
    ...countsFrom(set1.size, set2.size, both),
    late: input.late,
    missing1: normalizeRanges(input.missing1),
    missing2: normalizeRanges(input.missing2),
  };
}

/** The counts from two ID lists sorted by `compareIds` (duplicates allowed), in one linear pass and no sets. */
export function countsFromSortedIds(ids1Sorted: readonly string[], ids2Sorted: readonly string[]): HourCounts {
  let serv1 = 0;
  let serv2 = 0;
  let both = 0;
  let i = 0;
  let j = 0;
  while (i < ids1Sorted.length || j < ids2Sorted.length) {
    const order =
      i === ids1Sorted.length ? 1 : j === ids2Sorted.length ? -1 : compareIds(ids1Sorted[i]!, ids2Sorted[j]!);
    const id = order <= 0 ? ids1Sorted[i]! : ids2Sorted[j]!;
    if (order <= 0) {
      serv1++;
      i = skipEqual(ids1Sorted, i, id);
    }
    if (order >= 0) {
      serv2++;
      j = skipEqual(ids2Sorted, j, id);
    }
    if (order === 0) both++;
  }
  return countsFrom(serv1, serv2, both);
}

function skipEqual(ids: readonly string[], from: number, id: string): number {
  let next = from + 1;
  while (next < ids.length && ids[next] === id) next++;
  return next;
}

function countsFrom(serv1: number, serv2: number, both: number): HourCounts {
  const only1 = serv1 - both;
  const only2 = serv2 - both;
  return { serv1, serv2, total: both + only1 + only2, only1, only2, diff: only1 + only2 };
}
