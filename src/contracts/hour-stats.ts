import { type MinuteRange } from './minute-ranges.js';

/** Unique-ID counts of one hour, DESIGN 6: per server, merged, only in one server, and the symmetric difference. */
export interface HourCounts {
  serv1: number;
  serv2: number;
  total: number;
  only1: number;
  only2: number;
  diff: number;
}

/** Per-hour statistics that feed the report line (DESIGN 3.3, 6): counts, late arrivals and missing minutes. */
export interface HourStats extends HourCounts {
  late: number;
  missing1: MinuteRange[];
  missing2: MinuteRange[];
}
