import { join } from 'node:path';
import type { Settings } from '../config/index.js';
import { hourKey, hoursOfLabelDay, readIngestAlerts, readSyncState, type IngestAlert } from '../contracts/index.js';
import { wallClock } from '../contracts/index.js';
import { writeFileAtomic } from '../platform/atomic-write.js';
import type { Logger } from '../platform/logger.js';
import { readOutboxStatus } from '../osf/index.js';
import { readTextIfExists } from '../platform/optional-files.js';
import { renderDailyReport, type DayReportInput, type ServerSpace } from './daily-report.js';
import { folderSpace } from '../platform/free-space.js';
import { composeMime, type Mailer, type SendResult } from './mailer.js';
import { DAY_MS } from '../platform/time.js';

/** The label date before the one `nowMs` falls on in `timeZone`: the day `report` covers by default. */
export function previousLabelDate(nowMs: number, timeZone: string): string {
  const today = Date.parse(`${wallClock(nowMs, timeZone).date}T00:00:00Z`);
  return new Date(today - DAY_MS).toISOString().slice(0, 10);
}

/** `<vault>/<date>/<date>_report.txt` (DESIGN 3.3). */
export function reportFilePath(vaultDir: string, date: string): string {
  return join(vaultDir, date, `${date}_report.txt`);
}

/** Sum of the `kind` alerts of the given UTC hours (ingest records one per receipt hour and run). */
export function linesOfHours(
  events: readonly IngestAlert[],
  kind: IngestAlert['kind'],
  utcHourStartsMs: readonly number[],
): number {
  const hours = new Set(utcHourStartsMs.map(hourKey));
  return events
    .filter((event) => event.kind === kind && event.hour !== undefined && hours.has(event.hour))
    .reduce((sum, event) => sum + (event.lines ?? 0), 0);
}

/** Server 1's free space now and server 2's from its last pushed sync state (DESIGN 8, issue 12.2). */
async function serverSpaces(settings: Settings): Promise<ServerSpace[]> {
  const own: ServerSpace = { server: settings.server, measuredAt: null, folders: await folderSpace(settings.paths).catch(() => []) };
  if (!settings.hourly.expect_server2) return [own];
  const remote = await readSyncState(settings.paths.spool, 'server2').catch(() => null);
  const folders = (remote?.free_space ?? []).map((f) => ({ key: f.key, path: f.path, freeBytes: f.free_bytes }));
  return [own, { server: 'server2', measuredAt: remote?.updated_at ?? null, folders }];
}

/** Reads what the daily report of `date` shows: the vault's report file and the OSF outbox. */
export async function loadDayReportInput(settings: Settings, date: string, nowMs: number): Promise<DayReportInput> {
  const timeZone = settings.hourly.output_timezone;
  const hours = hoursOfLabelDay(date, timeZone);
  const alerts = (await readIngestAlerts(settings.paths.state)).events;
  const hourStarts = hours.map((hour) => hour.utcHourStartMs);
  return {
    date,
    timeZone,
    expectServer2: settings.hourly.expect_server2,
    hours,
    reportText: await readTextIfExists(reportFilePath(settings.paths.vault, date)),
    uploads: settings.osf.enabled ? await readOutboxStatus(settings.paths.state) : null,
    rejectedLines: linesOfHours(alerts, 'rejected-lines', hourStarts),
    skewedTweets: linesOfHours(alerts, 'skewed-created-at', hourStarts),
    freeSpace: await serverSpaces(settings),
    generatedAtMs: nowMs,
  };
}

/** What runDailyReport() needs; `mailer` null = do not send (email disabled). */
export interface DailyReportDeps {
  settings: Settings;
  nowMs: number;
  log: Logger;
  mailer: Mailer | null;
}

/** `day` (label date; default the previous day) and `outDir` (dry run: write files instead of sending). */
export interface DailyReportOptions {
  day?: string;
  outDir?: string;
}

/** What a report run did: the files a dry run wrote, or the send result (null when not sent). */
export interface DailyReportOutcome {
  day: string;
  subject: string;
  files: string[];
  sent: SendResult | null;
}

/** The `report` command's work (DESIGN 8): render the day's report, then write it (dry run) or mail it. */
export async function runDailyReport(deps: DailyReportDeps, options: DailyReportOptions): Promise<DailyReportOutcome> {
  const { settings, nowMs, log } = deps;
  const day = options.day ?? previousLabelDate(nowMs, settings.hourly.output_timezone);
  const report = renderDailyReport(await loadDayReportInput(settings, day, nowMs));
  log.info({ day, subject: report.subject }, 'daily report rendered');
  if (options.outDir !== undefined) {
    const eml = join(options.outDir, `daily-report-${day}.eml`);
    const html = join(options.outDir, `daily-report-${day}.html`);
    await writeFileAtomic(eml, await composeMime(settings.email, report, nowMs));
    await writeFileAtomic(html, report.html);
    return { day, subject: report.subject, files: [eml, html], sent: null };
  }
  const sent = deps.mailer === null ? null : await deps.mailer.send(report);
  return { day, subject: report.subject, files: [], sent };
}
