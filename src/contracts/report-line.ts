import { type HourStats } from './hour-stats.js';
import { type MinuteRange } from './minute-ranges.js';
import { pad2, wallClock } from './wall-clock.js';

/** One line of the day report file, DESIGN 3.3 (`diff %` is derived from diff and total). */
export interface ReportLine {
  hour: string;
  serv1: number;
  serv2: number;
  total: number;
  diff: number;
  only1: number;
  only2: number;
  late: number;
  gaps1: string;
  gaps2: string;
  version: number;
}

const HOUR_LABEL = /^\d{2}b?$/;

/** diff/total*100 with two decimals rounded half up ('0.45%'; '0.00%' when total is 0), in integer math. */
export function diffPercent(diff: number, total: number): string {
  if (total <= 0) return '0.00%';
  // Hundredths of a percent, rounded half up: floor((diff * 10000 + total / 2) / total), doubled to stay integral.
  const hundredths = Math.floor((diff * 20_000 + total) / (2 * total));
  return `${Math.floor(hundredths / 100)}.${pad2(hundredths % 100)}%`;
}

/** Minute ranges as 'HH:MM-HH:MM' (end exclusive) in the label zone, comma-joined; '' when none. */
export function formatGaps(ranges: readonly MinuteRange[], timeZone: string): string {
  return ranges.map((r) => `${clockTime(r.startMs, timeZone)}-${clockTime(r.endMs, timeZone)}`).join(',');
}

function clockTime(utcMs: number, timeZone: string): string {
  const local = wallClock(utcMs, timeZone);
  return `${pad2(local.hour)}:${pad2(local.minute)}`;
}

/** The report line of one hour (`hourLabel` is the hour part, '03' or '02b'), gaps in the label zone. */
export function reportLine(hourLabel: string, stats: HourStats, version: number, timeZone: string): ReportLine {
  if (!HOUR_LABEL.test(hourLabel)) {
    throw new RangeError(
      `Cannot build a report line for hour ${JSON.stringify(hourLabel)}: pass the hour part of the label ('03' or '02b'), not the full label`,
    );
  }
  return {
    hour: hourLabel,
    serv1: stats.serv1,
    serv2: stats.serv2,
    total: stats.total,
    diff: stats.diff,
    only1: stats.only1,
    only2: stats.only2,
    late: stats.late,
    gaps1: formatGaps(stats.missing1, timeZone),
    gaps2: formatGaps(stats.missing2, timeZone),
    version,
  };
}
