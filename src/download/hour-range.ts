import { dayReportFileName, daySumsFileName, hourKey, hourLabel, idsFileName } from '../contracts/index.js';
import { HOUR_MS } from '../platform/time.js';

/** One requested hour: its UTC key, its label in the output zone, and its IDs file. */
export interface WantedHour {
  hourKey: string;
  label: string;
  idsName: string;
}

/** The requested hours of one label day, with the day's report and checksum file names. */
export interface WantedDay {
  date: string;
  hours: WantedHour[];
  reportName: string;
  sumsName: string;
}

/**
 * The UTC hours from `fromMs` to `toMs` (both hour starts, inclusive) grouped by the label day they fall on in
 * `timeZone`, in order. A UTC hour has exactly one label (DESIGN 3.3), so no hour is missed or doubled at DST.
 */
export function wantedDays(fromMs: number, toMs: number, timeZone: string): WantedDay[] {
  if (toMs < fromMs) {
    throw new RangeError(`Cannot download from ${hourKey(fromMs)} to ${hourKey(toMs)}: the last hour is before the first`);
  }
  const days: WantedDay[] = [];
  for (let start = fromMs; start <= toMs; start += HOUR_MS) {
    const label = hourLabel(start, timeZone);
    let day = days.at(-1);
    if (day?.date !== label.date) {
      day = { date: label.date, hours: [], reportName: dayReportFileName(label.date), sumsName: daySumsFileName(label.date) };
      days.push(day);
    }
    day.hours.push({ hourKey: hourKey(start), label: label.label, idsName: idsFileName(label.label) });
  }
  return days;
}
