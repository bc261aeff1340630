import { compareHourLabels } from './compare-hour-labels.js';
import { pad2, wallClock } from './wall-clock.js';
import { HOUR_MS } from './spool-path.js';

/** The vault label of an hour, DESIGN 3.3. */
export interface HourLabel {
  /** YYYY-MM-DD in the zone: the vault folder. */
  date: string;
  /** 'HH', or 'HHb' for the second occurrence of a repeated autumn hour. */
  hour: string;
  /** 'YYYY-MM-DD_HH' or 'YYYY-MM-DD_HHb': the file name prefix. */
  label: string;
}

export { compareHourLabels };

const HOUR_KEY = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The label of the UTC hour holding `utcHourStartMs` in `timeZone`; the repeated autumn hour's second occurrence gets 'b'. */
export function hourLabel(utcHourStartMs: number, timeZone: string): HourLabel {
  const start = Math.floor(utcHourStartMs / HOUR_MS) * HOUR_MS;
  const local = wallClock(start, timeZone);
  const before = wallClock(start - HOUR_MS, timeZone);
  const repeated = before.date === local.date && before.hour === local.hour;
  const hour = `${pad2(local.hour)}${repeated ? 'b' : ''}`;
  return { date: local.date, hour, label: `${local.date}_${hour}` };
}

/** Every UTC hour whose label falls on `date` (YYYY-MM-DD) in `timeZone`, in order: 23, 24 or 25 entries. */
export function hoursOfLabelDay(date: string, timeZone: string): Array<{ utcHourStartMs: number; label: HourLabel }> {
  const match = DATE.exec(date);
  const midnight = match === null ? Number.NaN : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (!Number.isFinite(midnight) || new Date(midnight).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`Cannot list the hours of day ${JSON.stringify(date)}: pass a real date as YYYY-MM-DD`);
  }
  const hours: Array<{ utcHourStartMs: number; label: HourLabel }> = [];
  // UTC offsets lie within -12 h and +14 h, so the local day lies within these UTC hours.
  for (let utc = midnight - 14 * HOUR_MS; utc < midnight + 36 * HOUR_MS; utc += HOUR_MS) {
    const label = hourLabel(utc, timeZone);
    if (label.date === date) hours.push({ utcHourStartMs: utc, label });
  }
  return hours;
}

/** The UTC key 'YYYY-MM-DDTHH' of the hour holding `utcHourStartMs` (as `hourly --hour` takes it). */
export function hourKey(utcHourStartMs: number): string {
  return new Date(utcHourStartMs).toISOString().slice(0, 13);
}

/** The start (epoch ms) of a UTC hour key 'YYYY-MM-DDTHH'; throws RangeError naming the expected form. */
export function parseHourKey(key: string): number {
  const match = HOUR_KEY.exec(key);
  const ms =
    match === null
      ? Number.NaN
      : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]));
  if (!Number.isFinite(ms) || hourKey(ms) !== key) {
    throw new RangeError(
      `Cannot read hour ${JSON.stringify(key)}: write a UTC hour as YYYY-MM-DDTHH, for example "2026-11-22T06"`,
    );
  }
  return ms;
}
