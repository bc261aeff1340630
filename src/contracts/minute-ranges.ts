// Missing time is counted in whole spool minutes (DESIGN 3.1).
import { MINUTE_MS } from '../platform/time.js';

/** A span of whole minutes, `endMs` exclusive. */
export interface MinuteRange {
  startMs: number;
  endMs: number;
}

/** Collapse missing minute starts (ms) into sorted, maximal ranges. */
export function minuteRanges(minuteStartsMs: readonly number[]): MinuteRange[] {
  const starts = [...new Set(minuteStartsMs)].sort((a, b) => a - b);
  const ranges: MinuteRange[] = [];
  for (const start of starts) {
    const last = ranges.at(-1);
    if (last !== undefined && last.endMs === start) last.endMs = start + MINUTE_MS;
    else ranges.push({ startMs: start, endMs: start + MINUTE_MS });
  }
  return ranges;
}

/** Sorted, non-overlapping, non-touching copy of `ranges`. */
export function normalizeRanges(ranges: readonly MinuteRange[]): MinuteRange[] {
  const sorted = ranges.filter((r) => r.endMs > r.startMs).sort((a, b) => a.startMs - b.startMs);
  const merged: MinuteRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range.startMs <= last.endMs) last.endMs = Math.max(last.endMs, range.endMs);
    else merged.push({ ...range });
  }
  return merged;
}

/** The time missing from both range lists (covered by neither server), for the "INCOMPLETE" subject (DESIGN 8). */
export function rangesCoveredByNeither(a: MinuteRange[], b: MinuteRange[]): MinuteRange[] {
  const left = normalizeRanges(a);
  const right = normalizeRanges(b);
  const both: MinuteRange[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const startMs = Math.max(left[i]!.startMs, right[j]!.startMs);
    const endMs = Math.min(left[i]!.endMs, right[j]!.endMs);
    if (startMs < endMs) both.push({ startMs, endMs });
    if (left[i]!.endMs < right[j]!.endMs) i++;
    else j++;
  }
  return both;
}
