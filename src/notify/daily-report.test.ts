import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hoursOfLabelDay } from '../contracts/hour-label.js';
import { formatReportFile, type ReportLine } from '../contracts/index.js';
import { renderDailyReport, type DayReportInput } from './daily-report.js';

function line(hour: string, extra: Partial<ReportLine> = {}): ReportLine {
  return { hour, serv1: 1000, serv2: 990, total: 1010, diff: 30, only1: 20, only2: 10, late: 1, gaps1: '', gaps2: '', version: 1, ...extra };
}

function input(overrides: Partial<DayReportInput> = {}): DayReportInput {
  return {
    date: '2026-11-21',
    timeZone: 'UTC',
    expectServer2: true,
    hours: hoursOfLabelDay('2026-11-21', 'UTC'),
    reportText: formatReportFile(
      Array.from({ length: 18 }, (_, h) => line(String(h).padStart(2, '0'), h === 4 ? { gaps2: '04:00-04:30' } : h === 9 ? { version: 3 } : {})),
    ),
    uploads: {
      pending: [
        { remotePath: '2026/11/21/2026-11-21_17_IDs.txt.xz', attempts: 0, nextAttemptAt: '2026-11-21T18:05:00.000Z', lastError: null, firstFailureAt: null },
        { remotePath: '2026/11/21/2026-11-21_report.txt', attempts: 2, nextAttemptAt: '2026-11-21T18:10:00.000Z', lastError: 'HTTP 503', firstFailureAt: '2026-11-21T17:05:00.000Z' },
      ],
      failing: [
        { remotePath: '2026/11/21/2026-11-21_report.txt', attempts: 2, nextAttemptAt: '2026-11-21T18:10:00.000Z', lastError: 'HTTP 503', firstFailureAt: '2026-11-21T17:05:00.000Z' },
      ],
    },
    rejectedLines: 0,
    skewedTweets: 0,
    freeSpace: [],
    generatedAtMs: Date.parse('2026-11-21T18:00:00Z'),
    ...overrides,
  };
}

test('renderDailyReport() marks the unpublished hours of an unfinished day', () => {
  const report = renderDailyReport(input());
  assert.equal(report.subject, 'sampled-stream 2026-11-21: INCOMPLETE: unpublished hours 18-23; redundancy used: server 2 missing 04:00-04:30');
  assert.equal(report.html.match(/data-unpublished=/g)?.length, 6);
  assert.match(report.html, /data-status="incomplete"/);
  assert.match(report.html, /Not published yet: hours 18-23/);
  assert.match(report.html, /data-chart="tweets-per-hour"/);
  assert.match(report.html, /data-table="hours"/);
  assert.match(report.html, />2 \(v3\)</, 'two amendments of hour 09');
  assert.match(report.html, /04:00-04:30/);
  assert.doesNotMatch(report.html, /<script|<img|<link|https?:/i, 'no external resources');
});

test('renderDailyReport() text part is the report file plus pending and failed uploads, each listed once', () => {
  const given = input();
  const report = renderDailyReport(given);
  assert.ok(report.text.startsWith(`${report.subject}\n`));
  assert.ok(report.text.includes(`2026-11-21_report.txt:\n${given.reportText!}`), 'the report file verbatim');
  assert.match(report.text, /Pending uploads \(1\):\n {2}2026\/11\/21\/2026-11-21_17_IDs\.txt\.xz/);
  assert.match(report.text, /Failed uploads \(1\):\n {2}2026\/11\/21\/2026-11-21_report\.txt: HTTP 503 \(failing since 2026-11-21T17:05:00\.000Z, 2 attempts/);
  assert.match(report.text, /Redundancy used: server 2 missing 04:00-04:30/);
});

test('renderDailyReport() reports a complete day and handles a missing report file and disabled OSF', () => {
  const full = formatReportFile(Array.from({ length: 24 }, (_, h) => line(String(h).padStart(2, '0'))));
  const complete = renderDailyReport(input({ reportText: full, uploads: null }));
  assert.equal(complete.subject, 'sampled-stream 2026-11-21: complete');
  assert.match(complete.html, /data-status="complete"/);
  assert.match(complete.text, /OSF publishing is disabled\./);
  const empty = renderDailyReport(input({ reportText: null }));
  assert.equal(empty.subject, 'sampled-stream 2026-11-21: INCOMPLETE: unpublished hours 00-23');
  assert.match(empty.text, /2026-11-21_report\.txt: not written yet/);
});

test('renderDailyReport() keeps a full day far below the 102 KB at which Gmail clips a message', () => {
  const hh = (h: number) => String(h).padStart(2, '0');
  const full = formatReportFile(
    Array.from({ length: 24 }, (_, h) => line(hh(h), { gaps1: `${hh(h)}:01-${hh(h)}:02,${hh(h)}:09-${hh(h)}:10`, gaps2: `${hh(h)}:03-${hh(h)}:04` })),
  );
  const report = renderDailyReport(input({ reportText: full }));
  assert.ok(Buffer.byteLength(report.html) < 70_000, `${Buffer.byteLength(report.html)} bytes`);
});

test('renderDailyReport() escapes text from files in the HTML', () => {
  const report = renderDailyReport(
    input({
      uploads: {
        pending: [],
        failing: [{ remotePath: '2026/11/21/<x>.txt', attempts: 1, nextAttemptAt: 'soon', lastError: '<b>boom</b>', firstFailureAt: null }],
      },
    }),
  );
  assert.match(report.html, /&#60;b&#62;boom&#60;\/b&#62;/);
  assert.doesNotMatch(report.html, /<b>boom/);
});

test('renderDailyReport() lists 25 hours on the autumn day of a DST zone', () => {
  const hours = hoursOfLabelDay('2026-10-25', 'Europe/Berlin');
  const report = renderDailyReport(input({ date: '2026-10-25', timeZone: 'Europe/Berlin', hours, reportText: null }));
  assert.equal(hours.length, 25);
  assert.equal(report.html.match(/data-unpublished=/g)?.length, 25);
  assert.match(report.html, />02b</);
});

test('renderDailyReport() shows the count of rejected lines in both parts', () => {
  const none = renderDailyReport(input());
  assert.match(none.text, /Rejected lines: No line was rejected\./);
  const some = renderDailyReport(input({ rejectedLines: 1234 }));
  assert.match(some.text, /Rejected lines: 1[,.\u202f ]?234 malformed, invalid or over-long lines kept in <state>\/quarantine\/rejected\//);
  assert.match(some.html, /Rejected lines<\/div>.*234 malformed, invalid or over-long lines/);
  const skewed = renderDailyReport(input({ skewedTweets: 5 }));
  assert.match(skewed.text, /No line was rejected\. 5 tweets with created_at far from their receipt kept in <state>\/quarantine\/skewed\//);
});

test('renderDailyReport() shows each server\'s free space, server 2\'s as of its last sync state', () => {
  assert.match(renderDailyReport(input()).text, /Free space:\nnot known\./);
  const freeSpace = [
    { server: 'server1', measuredAt: null, folders: [{ key: 'paths.spool', path: '/s', freeBytes: 12.34e9 }, { key: 'paths.vault', path: '/v', freeBytes: 500e9 }] },
    { server: 'server2', measuredAt: '2026-11-21T17:59:00.000Z', folders: [] },
  ];
  const report = renderDailyReport(input({ freeSpace }));
  assert.match(report.text, /Free space:\nserver1 \(now\): paths\.spool 12\.3 GB, paths\.vault 500\.0 GB\nserver2 \(at 2026-11-21T17:59:00\.000Z\): not reported/);
  assert.match(report.html, /Free space<\/div><div[^>]*>server1 \(now\): paths\.spool 12\.3 GB/);
});
