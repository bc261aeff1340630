// Renders an example daily report (a 24-hour day with a server-2 gap and one amended hour) to
// docs/daily-report.png with headless Chromium, so the README can show what maintainers receive.
// Usage: node --import tsx scripts/render-report-png.ts [--out docs/daily-report.png] [--html FILE]
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { formatReportFile, type ReportLine } from '../src/contracts/index.js';
import { hoursOfLabelDay } from '../src/contracts/hour-label.js';
import { renderDailyReport } from '../src/notify/index.js';

const DATE = '2026-11-21';
const ZONE = 'UTC';

/** Tweets per hour of a 1% stream over a day: a night trough and an evening peak. */
function hourVolume(hour: number): number {
  return Math.round(150_000 + 45_000 * Math.sin(((hour - 9) / 24) * 2 * Math.PI) + (hour % 5) * 1_300);
}

function exampleLine(hour: number): ReportLine {
  const hh = String(hour).padStart(2, '0');
  const total = hourVolume(hour);
  // Server 2 was down from 03:00 to 05:12; server 1 lost two minutes at 14:31.
  const down2 = hour === 3 || hour === 4 ? 60 : hour === 5 ? 12 : 0;
  const down1 = hour === 14 ? 2 : 0;
  // Each server also misses a few dozen tweets the other got, as in real two-server data.
  const only1 = down2 === 60 ? total : Math.round((total * down2) / 60) + 37 + (hour % 3);
  const only2 = down2 === 60 ? 0 : Math.round((total * down1) / 60) + 41 + (hour % 4);
  return {
    hour: hh,
    serv1: total - only2,
    serv2: total - only1,
    total,
    diff: only1 + only2,
    only1,
    only2,
    late: hour === 9 ? 214 : hour % 7,
    gaps1: hour === 14 ? '14:31-14:33' : '',
    gaps2: hour === 3 ? '03:00-04:00' : hour === 4 ? '04:00-05:00' : hour === 5 ? '05:00-05:12' : '',
    version: hour === 9 ? 2 : 1,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, html: { type: 'string' } } });
  const png = resolve(values.out ?? 'docs/daily-report.png');
  const report = renderDailyReport({
    date: DATE,
    timeZone: ZONE,
    expectServer2: true,
    hours: hoursOfLabelDay(DATE, ZONE),
    reportText: formatReportFile(Array.from({ length: 24 }, (_, hour) => exampleLine(hour))),
    uploads: {
      pending: [
        {
          remotePath: '2026/11/22/2026-11-22_01_IDs.txt.xz',
          attempts: 0,
          nextAttemptAt: '2026-11-22T02:05:00.000Z',
          lastError: null,
          firstFailureAt: null,
        },
      ],
      failing: [],
    },
    rejectedLines: 0,
    skewedTweets: 0,
    freeSpace: [],
    generatedAtMs: Date.parse('2026-11-22T02:00:04Z'),
  });
  const work = await mkdtemp(join(tmpdir(), 'render-report-'));
  try {
    const html = values.html ? resolve(values.html) : join(work, 'daily-report.html');
    await writeFile(html, report.html);
    await promisify(execFile)(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${join(work, 'profile')}`,
        `--screenshot=${png}`,
        '--window-size=1000,1400',
        pathToFileURL(html).href,
      ],
      { timeout: 60_000 },
    );
    console.log(`${report.subject}\nwrote ${png}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
