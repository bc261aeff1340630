import { formatGaps, normalizeRanges, rangesCoveredByNeither, type MinuteRange, type ReportLine } from '../contracts/index.js';
import type { HourLabel } from '../contracts/index.js';
import { MINUTE_MS } from '../contracts/index.js';

/** One hour of a label day with its report line (null = not published yet) and missing minutes. */
export interface HourCoverage {
  label: HourLabel;
  utcHourStartMs: number;
  line: ReportLine | null;
  missing1: MinuteRange[];
  missing2: MinuteRange[];
  /** Minutes no server covered. */
  neither: MinuteRange[];
}

/** What the daily report says about a label day's completeness (DESIGN 8). */
export interface DayCoverage {
  hours: HourCoverage[];
  /** Labels ('03', '02b') of hours without a report line. */
  unpublished: string[];
  /** Minutes covered by neither server, merged across hours. */
  neither: MinuteRange[];
  /** Minutes one server missed and the other covered ("redundancy used"). */
  redundancy: { server1: MinuteRange[]; server2: MinuteRange[] };
}

/** Input of dayCoverage(): the day's hours (hoursOfLabelDay) and the report file's lines. */
export interface DayCoverageInput {
  hours: ReadonlyArray<{ utcHourStartMs: number; label: HourLabel }>;
  lines: readonly ReportLine[];
  /** false for single-server setups: server 2's gaps are not counted. */
  expectServer2: boolean;
}

const GAP = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const DAY_MIN = 24 * 60;

/**
 * Parses a report line's gaps ('03:00-03:12,03:40-04:00', label-zone clock times, end exclusive) into UTC
 * ranges. The times are read relative to the hour's own start, so the repeated autumn hour '02b' works too.
 */
export function parseGaps(gaps: string, hourLabel: string, utcHourStartMs: number): MinuteRange[] {
  if (gaps.trim() === '') return [];
  const hourMin = Number.parseInt(hourLabel.slice(0, 2), 10) * 60;
  return gaps.split(',').map((text) => {
    const match = GAP.exec(text.trim());
    if (match === null) {
      throw new SyntaxError(
        `Cannot read gap ${JSON.stringify(text)} of hour ${hourLabel}: expected HH:MM-HH:MM ranges joined by commas`,
      );
    }
    const startMin = (Number(match[1]) * 60 + Number(match[2]) - hourMin + DAY_MIN) % DAY_MIN;
    let endMin = (Number(match[3]) * 60 + Number(match[4]) - hourMin + DAY_MIN) % DAY_MIN;
    if (endMin <= startMin) endMin += DAY_MIN;
    return { startMs: utcHourStartMs + startMin * MINUTE_MS, endMs: utcHourStartMs + endMin * MINUTE_MS };
  });
}

/** `a` without the time in `b`. */
export function subtractRanges(a: readonly MinuteRange[], b: readonly MinuteRange[]): MinuteRange[] {
  const cut = normalizeRanges([...b]);
  const result: MinuteRange[] = [];
  for (const range of normalizeRanges([...a])) {
    let startMs = range.startMs;
    for (const hole of cut) {
      if (hole.endMs <= startMs || hole.startMs >= range.endMs) continue;
      if (hole.startMs > startMs) result.push({ startMs, endMs: hole.startMs });
      startMs = Math.max(startMs, hole.endMs);
    }
    if (startMs < range.endMs) result.push({ startMs, endMs: range.endMs });
  }
  return result;
}

/** Coverage of every hour of a label day, from its report lines (DESIGN 3.3, 8). */
export function dayCoverage(input: DayCoverageInput): DayCoverage {
  const byHour = new Map(input.lines.map((line) => [line.hour, line]));
  const hours = input.hours.map(({ label, utcHourStartMs }): HourCoverage => {
    const line = byHour.get(label.hour) ?? null;
    const missing1 = line === null ? [] : parseGaps(line.gaps1, label.hour, utcHourStartMs);
    const missing2 = line === null || !input.expectServer2 ? [] : parseGaps(line.gaps2, label.hour, utcHourStartMs);
    const neither = input.expectServer2 ? rangesCoveredByNeither(missing1, missing2) : normalizeRanges(missing1);
    return { label, utcHourStartMs, line, missing1, missing2, neither };
  });
  const neither = normalizeRanges(hours.flatMap((h) => h.neither));
  return {
    hours,
    unpublished: hours.filter((h) => h.line === null).map((h) => h.label.hour),
    neither,
    redundancy: input.expectServer2
      ? {
          server1: subtractRanges(hours.flatMap((h) => h.missing1), neither),
          server2: subtractRanges(hours.flatMap((h) => h.missing2), neither),
        }
      : { server1: [], server2: [] },
  };
}

/** Ranges as 'HH:MM-HH:MM' in the label zone, joined by ', '; past `limit` ranges the rest is counted ('(+3 more)'). */
export function formatRanges(ranges: readonly MinuteRange[], timeZone: string, limit = Infinity): string {
  const shown = ranges.slice(0, limit).map((range) => formatGaps([range], timeZone));
  if (ranges.length > limit) shown.push(`(+${ranges.length - limit} more)`);
  return shown.join(', ');
}

/** Hour labels as runs of consecutive hours of the day: '00-02, 05' (on a spring day '01' and '03' are consecutive). */
export function formatHourRuns(labels: readonly string[], dayLabels: readonly string[]): string {
  const runs: string[][] = [];
  let previousIndex = -2;
  for (const label of labels) {
    const index = dayLabels.indexOf(label);
    const run = runs.at(-1);
    if (run !== undefined && index === previousIndex + 1) run.push(label);
    else runs.push([label]);
    previousIndex = index;
  }
  return runs.map((run) => (run.length === 1 ? run[0]! : `${run[0]}-${run.at(-1)}`)).join(', ');
}
