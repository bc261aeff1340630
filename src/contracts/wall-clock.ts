// A whole-hour UTC offset is a multiple of HOUR_MS (DESIGN 3.3).
import { HOUR_MS } from '../platform/time.js';

/** Local date and time of an instant in a time zone. */
export interface WallClock {
  date: string;
  hour: number;
  minute: number;
  offsetMs: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch (cause) {
      throw new RangeError(
        `Cannot use time zone ${JSON.stringify(timeZone)}: it is not an IANA zone; set hourly.output_timezone to one such as "UTC" or "Europe/Berlin"`,
        { cause },
      );
    }
    formats.set(timeZone, format);
  }
  return format;
}

/** The local date, hour, minute and UTC offset of `utcMs` in `timeZone` (whole-hour offsets only, DESIGN 3.3). */
export function wallClock(utcMs: number, timeZone: string): WallClock {
  const fields: Record<string, number> = {};
  for (const part of formatFor(timeZone).formatToParts(utcMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields;
  const offsetMs = Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(utcMs / 1000) * 1000;
  if (offsetMs % HOUR_MS !== 0) {
    throw new RangeError(
      `Cannot label hours in time zone ${JSON.stringify(timeZone)}: its UTC offset at ${new Date(utcMs).toISOString()} is not a whole hour; set hourly.output_timezone to a whole-hour zone`,
    );
  }
  const date = `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
  return { date, hour, minute, offsetMs };
}

/** Two-digit zero-padded number. */
export function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
