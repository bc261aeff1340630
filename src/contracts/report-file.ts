import { compareHourLabels } from './compare-hour-labels.js';
import { diffPercent, type ReportLine } from './report-line.js';

/** The day report file's columns: the original's six, then ours. */
export const REPORT_HEADER: readonly string[] = Object.freeze([
  'hour',
  'serv 1',
  'serv 2',
  'total',
  'diff',
  'diff %',
  'only 1',
  'only 2',
  'late',
  'gaps 1',
  'gaps 2',
  'version',
]);

type NumberKey = 'serv1' | 'serv2' | 'total' | 'diff' | 'only1' | 'only2' | 'late' | 'version';

const NUMBER_COLUMNS: ReadonlyArray<readonly [string, NumberKey]> = [
  ['serv 1', 'serv1'],
  ['serv 2', 'serv2'],
  ['total', 'total'],
  ['diff', 'diff'],
  ['only 1', 'only1'],
  ['only 2', 'only2'],
  ['late', 'late'],
  ['version', 'version'],
];

function formatLine(line: ReportLine): string {
  return [
    line.hour,
    line.serv1,
    line.serv2,
    line.total,
    line.diff,
    diffPercent(line.diff, line.total),
    line.only1,
    line.only2,
    line.late,
    line.gaps1,
    line.gaps2,
    line.version,
  ].join('\t');
}

/** The day report file, DESIGN 3.3: tab-separated header and lines sorted by label ('02' < '02b' < '03'), '\n' endings. */
export function formatReportFile(lines: readonly ReportLine[]): string {
  const sorted = [...lines].sort((a, b) => compareHourLabels(a.hour, b.hour));
  return [REPORT_HEADER.join('\t'), ...sorted.map(formatLine)].map((text) => `${text}\n`).join('');
}

/** Lines of a day report file, found by header name (unknown columns ignored, missing ones 0 or empty). */
export function parseReportFile(text: string): ReportLine[] {
  const rows = text
    .split('\n')
    .map((row) => (row.endsWith('\r') ? row.slice(0, -1) : row))
    .filter((row) => row.trim() !== '');
  if (rows.length === 0) return [];
  const header = rows[0]!.split('\t');
  if (header[0] !== 'hour') {
    throw new SyntaxError(
      `Cannot parse report file: the first line must be the header starting with "hour": current first line is ${JSON.stringify(rows[0])}`,
    );
  }
  const column = new Map(header.map((name, index) => [name, index]));
  return rows.slice(1).map((row) => {
    const cells = row.split('\t');
    const text = (name: string): string => {
      const index = column.get(name);
      return index === undefined ? '' : (cells[index] ?? '');
    };
    const line: ReportLine = {
      hour: text('hour'),
      serv1: 0,
      serv2: 0,
      total: 0,
      diff: 0,
      only1: 0,
      only2: 0,
      late: 0,
      gaps1: text('gaps 1'),
      gaps2: text('gaps 2'),
      version: 0,
    };
    for (const [name, key] of NUMBER_COLUMNS) {
      const value = Number.parseInt(text(name), 10);
      line[key] = Number.isFinite(value) ? value : 0;
    }
    return line;
  });
}

/** The report file with `line` replacing its hour's line (or added), never duplicating an hour; `text` null = new file. */
export function upsertReportLine(text: string | null, line: ReportLine): string {
  const byHour = new Map<string, ReportLine>();
  for (const existing of text === null ? [] : parseReportFile(text)) byHour.set(existing.hour, existing);
  byHour.set(line.hour, line);
  return formatReportFile([...byHour.values()]);
}
