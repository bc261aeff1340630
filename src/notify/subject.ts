import { formatHourRuns, formatRanges, type DayCoverage } from './day-coverage.js';

/** The findings of a day in words, shared by the subject, the HTML banner and the text part. */
export interface DayFindings {
  /** Every hour published and every minute covered by at least one server. */
  complete: boolean;
  /** Minutes covered by neither server, as ranges ('' when none). */
  neither: string;
  /** Unpublished hours as runs ('20-23', '' when none). */
  unpublished: string;
  /** 'server 2 missing 03:00-05:12' ('' when no server needed the other). */
  redundancy: string;
}

/** The words for a day's coverage; `limit` caps the ranges listed per item (the subject stays short). */
export function dayFindings(coverage: DayCoverage, timeZone: string, limit = Infinity): DayFindings {
  const redundancy = (
    [
      ['server 1', coverage.redundancy.server1],
      ['server 2', coverage.redundancy.server2],
    ] as const
  )
    .filter(([, ranges]) => ranges.length > 0)
    .map(([server, ranges]) => `${server} missing ${formatRanges(ranges, timeZone, limit)}`)
    .join(' and ');
  return {
    complete: coverage.neither.length === 0 && coverage.unpublished.length === 0,
    neither: formatRanges(coverage.neither, timeZone, limit),
    unpublished: formatHourRuns(
      coverage.unpublished,
      coverage.hours.map((h) => h.label.hour),
    ),
    redundancy,
  };
}

/** Most ranges the subject lists per item before counting the rest. */
const SUBJECT_RANGE_LIMIT = 3;

/**
 * The daily report's subject (DESIGN 8): 'sampled-stream <date>: complete', or 'INCOMPLETE: <minutes covered by
 * neither server>' and/or the unpublished hours, with '; redundancy used: server 2 missing 03:00-05:12' appended.
 */
export function dailySubject(date: string, coverage: DayCoverage, timeZone: string): string {
  const findings = dayFindings(coverage, timeZone, SUBJECT_RANGE_LIMIT);
  const missing = [findings.neither, findings.unpublished && `unpublished hours ${findings.unpublished}`].filter(
    (part) => part !== '',
  );
  const status = findings.complete ? 'complete' : `INCOMPLETE: ${missing.join('; ')}`;
  const suffix = findings.redundancy === '' ? '' : `; redundancy used: ${findings.redundancy}`;
  return `sampled-stream ${date}: ${status}${suffix}`;
}
