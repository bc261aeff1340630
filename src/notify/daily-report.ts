import { diffPercent, parseReportFile, type ReportLine } from '../contracts/index.js';
import type { HourLabel } from '../contracts/index.js';
import type { OutboxEntry } from '../osf/index.js';
import { CHART_COLORS, renderChart } from './chart.js';
import { dayCoverage, type DayCoverage, type HourCoverage } from './day-coverage.js';
import type { FolderSpace } from '../platform/free-space.js';
import { escapeHtml, formatCount } from './html-text.js';
import { dailySubject, dayFindings, type DayFindings } from './subject.js';

/** A pending or failed upload as the report lists it: the fields of the OSF outbox entry it shows. */
export type UploadEntry = Pick<OutboxEntry, 'remotePath' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'firstFailureAt'>;

/** Everything the daily report shows about one label day; no I/O happens past this point. */
export interface DayReportInput {
  /** Label date YYYY-MM-DD. */
  date: string;
  timeZone: string;
  expectServer2: boolean;
  /** Every hour of the label day (hoursOfLabelDay). */
  hours: ReadonlyArray<{ utcHourStartMs: number; label: HourLabel }>;
  /** The day's report file, null when no hour of the day is published yet. */
  reportText: string | null;
  /** The OSF outbox; null when OSF publishing is disabled. */
  uploads: { pending: readonly UploadEntry[]; failing: readonly UploadEntry[] } | null;
  /** Malformed, invalid or over-long lines received in the day's hours, kept under `<state>/quarantine/rejected/`. */
  rejectedLines: number;
  /** Free space of each server's data folders: server 1's now, server 2's as its last sync state says. */
  freeSpace: ReadonlyArray<ServerSpace>;
  /** Tweets received in the day's hours with created_at outside the window, kept under `<state>/quarantine/skewed/`. */
  skewedTweets: number;
  generatedAtMs: number;
}

/** A rendered daily report mail. */
export interface DailyReport {
  subject: string;
  html: string;
  text: string;
}

const FONT = 'font-family:Arial,Helvetica,sans-serif';

/** The day's sums of the report lines' counts. */
type Totals = Omit<ReportLine, 'hour' | 'gaps1' | 'gaps2' | 'version'> & { amendments: number };

function dayTotals(coverage: DayCoverage): Totals {
  const totals: Totals = { serv1: 0, serv2: 0, total: 0, diff: 0, only1: 0, only2: 0, late: 0, amendments: 0 };
  for (const { line } of coverage.hours) {
    if (line === null) continue;
    totals.serv1 += line.serv1;
    totals.serv2 += line.serv2;
    totals.total += line.total;
    totals.diff += line.diff;
    totals.only1 += line.only1;
    totals.only2 += line.only2;
    totals.late += line.late;
    totals.amendments += Math.max(0, line.version - 1);
  }
  return totals;
}

/** Pending entries that are not also failing, so each upload is listed once. */
function waitingUploads(uploads: NonNullable<DayReportInput['uploads']>): readonly UploadEntry[] {
  const failing = new Set(uploads.failing.map((u) => u.remotePath));
  return uploads.pending.filter((u) => !failing.has(u.remotePath));
}

function findingLines(findings: DayFindings): Array<{ text: string; color: string }> {
  return [
    findings.neither && { text: `Covered by neither server: ${findings.neither}`, color: CHART_COLORS.missing },
    findings.unpublished && { text: `Not published yet: hours ${findings.unpublished}`, color: '#4a5568' },
    findings.redundancy && { text: `Redundancy used: ${findings.redundancy}`, color: '#975a16' },
  ].filter((line): line is { text: string; color: string } => typeof line === 'object');
}

function banner(findings: DayFindings): string {
  const [color, background, title, sub] = findings.complete
    ? ['#276749', '#f0fff4', 'COMPLETE', 'every hour published, every minute covered by at least one server']
    : ['#9b2c2c', '#fff5f5', 'INCOMPLETE', 'see below for the minutes and hours that are missing'];
  const details = findingLines(findings)
    .map((l) => `<div style="margin-top:6px;font-size:14px;color:${l.color}">${escapeHtml(l.text)}</div>`)
    .join('');
  return (
    `<div data-status="${findings.complete ? 'complete' : 'incomplete'}" style="${FONT};background:${background};` +
    `border-left:6px solid ${color};padding:12px 16px">` +
    `<div style="font-size:22px;font-weight:bold;color:${color}">${title}</div>` +
    `<div style="font-size:13px;color:#4a5568">${sub}</div>${details}</div>`
  );
}

function statBox(label: string, value: string, color = '#1a202c'): string {
  return (
    `<td style="padding:8px 18px 8px 0;${FONT};vertical-align:top"><div style="font-size:12px;color:#718096">${label}</div>` +
    `<div style="font-size:20px;font-weight:bold;color:${color}">${value}</div></td>`
  );
}

function summary(totals: Totals, input: DayReportInput): string {
  const uploads =
    input.uploads === null
      ? statBox('OSF uploads', 'disabled', '#718096')
      : statBox(
          'OSF uploads waiting / failed',
          `${waitingUploads(input.uploads).length} / ${input.uploads.failing.length}`,
          input.uploads.failing.length > 0 ? CHART_COLORS.missing : '#1a202c',
        );
  return (
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>` +
    statBox('Tweets (merged)', formatCount(totals.total)) +
    statBox('Server 1', formatCount(totals.serv1), CHART_COLORS.server1) +
    (input.expectServer2 ? statBox('Server 2', formatCount(totals.serv2), CHART_COLORS.server2) : '') +
    statBox('Diff', diffPercent(totals.diff, totals.total)) +
    statBox('Late', formatCount(totals.late)) +
    statBox('Amendments', formatCount(totals.amendments), totals.amendments > 0 ? '#805ad5' : '#1a202c') +
    uploads +
    `</tr></table>`
  );
}

const COLUMNS = ['Hour', 'Server 1', 'Server 2', 'Total', 'Diff', 'Diff %', 'Only 1', 'Only 2', 'Late', 'Gaps server 1', 'Gaps server 2', 'Amended'];
/** Columns from here on hold text and are left-aligned. */
const FIRST_TEXT_COLUMN = 9;
const MUTED = '<td style="color:#a0aec0">-</td>';

function numberCells(values: readonly number[]): string {
  return values.map((n) => `<td align="right">${formatCount(n)}</td>`).join('');
}

function gapCell(gaps: string): string {
  return gaps === '' ? MUTED : `<td style="color:#c53030">${escapeHtml(gaps.split(',').join(', '))}</td>`;
}

function rowBackground(hour: HourCoverage, index: number): string {
  if (hour.neither.length > 0) return '#fff5f5';
  if (hour.missing1.length + hour.missing2.length > 0) return '#fffbea';
  return index % 2 === 0 ? '#ffffff' : '#f7fafc';
}

function tableRow(hour: HourCoverage, index: number): string {
  const line = hour.line;
  const label = `<td><b>${escapeHtml(hour.label.hour)}</b></td>`;
  if (line === null) {
    return (
      `<tr data-unpublished="${escapeHtml(hour.label.hour)}" bgcolor="#edf2f7" style="color:#718096">${label}` +
      `<td colspan="${COLUMNS.length - 1}"><i>not published</i></td></tr>`
    );
  }
  const amended = line.version > 1 ? `<td style="color:#805ad5"><b>${line.version - 1} (v${line.version})</b></td>` : MUTED;
  return (
    `<tr bgcolor="${rowBackground(hour, index)}">${label}` +
    numberCells([line.serv1, line.serv2, line.total, line.diff]) +
    `<td align="right">${diffPercent(line.diff, line.total)}</td>` +
    numberCells([line.only1, line.only2, line.late]) +
    gapCell(line.gaps1) +
    gapCell(line.gaps2) +
    amended +
    `</tr>`
  );
}

function hoursTable(coverage: DayCoverage, totals: Totals): string {
  const head = COLUMNS.map((c, i) => `<th align="${i === 0 || i >= FIRST_TEXT_COLUMN ? 'left' : 'right'}">${c}</th>`).join('');
  const foot =
    `<tr style="font-weight:bold;border-top:2px solid #cbd5e0"><td>Day</td>` +
    numberCells([totals.serv1, totals.serv2, totals.total, totals.diff]) +
    `<td align="right">${diffPercent(totals.diff, totals.total)}</td>` +
    numberCells([totals.only1, totals.only2, totals.late]) +
    `<td colspan="2"></td><td>${formatCount(totals.amendments)}</td></tr>`;
  return (
    `<table data-table="hours" cellpadding="4" cellspacing="0" border="0" width="100%" ` +
    `style="border-collapse:collapse;${FONT};font-size:13px;white-space:nowrap">` +
    `<tr style="color:#4a5568;font-size:12px;border-bottom:2px solid #cbd5e0">${head}</tr>` +
    `${coverage.hours.map(tableRow).join('')}${foot}</table>`
  );
}

function uploadLines(input: DayReportInput): string[] {
  if (input.uploads === null) return ['OSF publishing is disabled.'];
  const waiting = waitingUploads(input.uploads);
  const failing = input.uploads.failing;
  if (waiting.length === 0 && failing.length === 0) return ['No upload is pending.'];
  return [
    ...(waiting.length > 0 ? [`Pending uploads (${waiting.length}):`] : []),
    ...waiting.map((u) => `  ${u.remotePath} (next attempt ${u.nextAttemptAt})`),
    ...(failing.length > 0 ? [`Failed uploads (${failing.length}):`] : []),
    ...failing.map(
      (u) =>
        `  ${u.remotePath}: ${u.lastError ?? 'unknown error'} (failing since ${u.firstFailureAt ?? 'unknown'}, ` +
        `${u.attempts} attempts, next ${u.nextAttemptAt})`,
    ),
  ];
}

/** One server's free space in the daily report; `measuredAt` null = measured while making the report. */
export interface ServerSpace {
  server: string;
  measuredAt: string | null;
  folders: readonly FolderSpace[];
}

function freeSpaceLines(input: DayReportInput): string[] {
  if (input.freeSpace.length === 0) return ['not known.'];
  return input.freeSpace.map((space) => {
    const when = space.measuredAt === null ? 'now' : `at ${space.measuredAt}`;
    const folders = space.folders.map((f) => `${f.key} ${(f.freeBytes / 1e9).toFixed(1)} GB`).join(', ');
    return `${space.server} (${when}): ${folders === '' ? 'not reported' : folders}`;
  });
}

function rejectedLine(input: DayReportInput): string {
  const rejected =
    input.rejectedLines === 0
      ? 'No line was rejected.'
      : `${formatCount(input.rejectedLines)} malformed, invalid or over-long lines kept in <state>/quarantine/rejected/.`;
  const skewed =
    input.skewedTweets === 0
      ? ''
      : ` ${formatCount(input.skewedTweets)} tweets with created_at far from their receipt kept in <state>/quarantine/skewed/.`;
  return rejected + skewed;
}

function section(title: string, body: string): string {
  return (
    `<tr><td style="padding:14px 20px 4px"><div style="${FONT};font-size:16px;font-weight:bold;color:#2d3748;` +
    `margin-bottom:8px">${title}</div>${body}</td></tr>`
  );
}

function renderHtml(input: DayReportInput, subject: string, coverage: DayCoverage, findings: DayFindings): string {
  const totals = dayTotals(coverage);
  const plainLines = (lines: readonly string[]) =>
    lines.map((l) => `<div style="${FONT};font-size:13px;color:#2d3748;white-space:pre-wrap">${escapeHtml(l)}</div>`).join('');
  const uploads = plainLines(uploadLines(input));
  const generated = new Date(input.generatedAtMs).toISOString();
  return (
    `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(subject)}</title></head><body style="margin:0;padding:0;background:#f4f5f7">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f4f5f7">` +
    `<tr><td align="center" style="padding:16px"><table role="presentation" cellpadding="0" cellspacing="0" border="0" ` +
    `style="background:#ffffff;border:1px solid #e2e8f0;width:100%;max-width:980px">` +
    `<tr><td style="padding:16px 20px 8px;${FONT};font-size:20px;font-weight:bold;color:#1a202c">` +
    `sampled-stream daily report ${escapeHtml(input.date)} ` +
    `<span style="font-size:13px;font-weight:normal;color:#718096">hours in ${escapeHtml(input.timeZone)}</span></td></tr>` +
    `<tr><td style="padding:4px 20px">${banner(findings)}</td></tr>` +
    `<tr><td style="padding:8px 20px 0">${summary(totals, input)}</td></tr>` +
    section('Tweets per hour and coverage', renderChart(coverage.hours, input.expectServer2)) +
    section('Hours', hoursTable(coverage, totals)) +
    section('Uploads to OSF', uploads) +
    section('Free space', plainLines(freeSpaceLines(input))) +
    section('Rejected lines', `<div style="${FONT};font-size:13px;color:#2d3748">${escapeHtml(rejectedLine(input))}</div>`) +
    `<tr><td style="padding:14px 20px;${FONT};font-size:11px;color:#a0aec0">Generated ${generated}. ` +
    `Gaps are label-zone clock times, end exclusive.</td></tr>` +
    `</table></td></tr></table></body></html>\n`
  );
}

function renderText(input: DayReportInput, subject: string, findings: DayFindings): string {
  const reportName = `${input.date}_report.txt`;
  return [
    subject,
    '',
    ...findingLines(findings).map((l) => l.text),
    ...(findingLines(findings).length > 0 ? [''] : []),
    input.reportText === null ? `${reportName}: not written yet (no hour of the day is published).` : `${reportName}:`,
    ...(input.reportText === null ? [] : [input.reportText.replace(/\n$/, '')]),
    '',
    'Uploads to OSF:',
    ...uploadLines(input),
    '',
    `Rejected lines: ${rejectedLine(input)}`,
    '',
    'Free space:',
    ...freeSpaceLines(input),
    '',
  ].join('\n');
}

/** The daily report mail of one label day (DESIGN 8): subject, HTML with table and chart, and the plain-text part. */
export function renderDailyReport(input: DayReportInput): DailyReport {
  const coverage = dayCoverage({
    hours: input.hours,
    lines: input.reportText === null ? [] : parseReportFile(input.reportText),
    expectServer2: input.expectServer2,
  });
  const subject = dailySubject(input.date, coverage, input.timeZone);
  const findings = dayFindings(coverage, input.timeZone);
  return {
    subject,
    html: renderHtml(input, subject, coverage, findings),
    text: renderText(input, subject, findings),
  };
}
