import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReportFile, parseReportFile, REPORT_HEADER, upsertReportLine } from './report-file.js';
import { type ReportLine } from './report-line.js';

const line = (hour: string, overrides: Partial<ReportLine> = {}): ReportLine => ({
  hour, serv1: 100, serv2: 99, total: 101, diff: 3, only1: 2, only2: 1, late: 0, gaps1: '', gaps2: '', version: 1,
  ...overrides,
});
const HEADER = 'hour\tserv 1\tserv 2\ttotal\tdiff\tdiff %\tonly 1\tonly 2\tlate\tgaps 1\tgaps 2\tversion\n';
const hours = (text: string): string[] => parseReportFile(text).map((l) => l.hour);

describe('formatReportFile()', () => {
  it('writes the header, then tab-separated lines sorted by label with \\n endings', () => {
    const text = formatReportFile([line('03'), line('02b', { gaps2: '02:00-02:10,02:30-02:31', version: 2 }), line('02')]);
    assert.equal(
      text,
      HEADER +
        '02\t100\t99\t101\t3\t2.97%\t2\t1\t0\t\t\t1\n' +
        '02b\t100\t99\t101\t3\t2.97%\t2\t1\t0\t\t02:00-02:10,02:30-02:31\t2\n' +
        '03\t100\t99\t101\t3\t2.97%\t2\t1\t0\t\t\t1\n',
    );
    assert.equal(REPORT_HEADER.slice(0, 6).join('\t'), 'hour\tserv 1\tserv 2\ttotal\tdiff\tdiff %');
  });

  it('writes only the header for no lines', () => assert.equal(formatReportFile([]), HEADER));
});

describe('parseReportFile()', () => {
  it('round-trips formatReportFile()', () => {
    const lines = [line('00', { gaps1: '00:05-00:07' }), line('01', { total: 0, diff: 0, version: 3 })];
    assert.deepEqual(parseReportFile(formatReportFile(lines)), lines);
  });

  it('finds columns by name, ignores unknown ones and CRLF, and zero-fills missing ones', () => {
    const text = 'hour\tserv 1\tserv 2\ttotal\tdiff\tdiff %\tnote\r\n04\t5\t6\t7\t1\t14.29%\thello\r\n\n';
    assert.deepEqual(parseReportFile(text), [line('04', { serv1: 5, serv2: 6, total: 7, diff: 1, only1: 0, only2: 0, version: 0 })]);
  });

  it('reads nothing from an empty file and refuses a file without header', () => {
    assert.deepEqual(parseReportFile(''), []);
    assert.throws(() => parseReportFile('03\t1\t2\n'), { name: 'SyntaxError', message: /header starting with "hour"/ });
  });
});

describe('upsertReportLine()', () => {
  it('creates a file from nothing', () => {
    assert.deepEqual(hours(upsertReportLine(null, line('05'))), ['05']);
  });

  it('inserts hours in label order: 02 < 02b < 03', () => {
    let text: string | null = null;
    for (const hour of ['03', '01', '02b', '00', '02', '04']) text = upsertReportLine(text, line(hour));
    assert.deepEqual(hours(text!), ['00', '01', '02', '02b', '03', '04']);
  });

  it('replaces an hour in place on re-run or amendment, never duplicating it', () => {
    let text = formatReportFile([line('01'), line('02'), line('03')]);
    text = upsertReportLine(text, line('02', { total: 150, version: 2 }));
    text = upsertReportLine(text, line('02', { total: 160, version: 3 }));
    const parsed = parseReportFile(text);
    assert.deepEqual(parsed.map((l) => l.hour), ['01', '02', '03']);
    assert.equal(parsed[1]!.total, 160);
    assert.equal(parsed[1]!.version, 3);
    assert.equal(text.split('\n').filter((row) => row.startsWith('02\t')).length, 1);
  });

  it('collapses an hour that an older run wrote twice', () => {
    const text = `${HEADER}01\t1\t1\t1\t0\t0.00%\n01\t1\t1\t1\t0\t0.00%\n`;
    assert.deepEqual(hours(upsertReportLine(text, line('00'))), ['00', '01']);
  });
});
