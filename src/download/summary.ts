import { daySumsFileName } from '../contracts/index.js';
import { formatBytes, formatDuration } from './progress-bar.js';

/** How one file ended: new here, already right, replaced by a newer OSF version, not on OSF, or failed. */
export type FileStatus = 'downloaded' | 'unchanged' | 'replaced' | 'missing' | 'failed';

/** Outcomes that leave a verified copy on disk. */
export function isOnDisk(status: FileStatus): boolean {
  return status === 'downloaded' || status === 'unchanged' || status === 'replaced';
}

/** The outcome for one file of the download. */
export interface FileResult {
  /** Label day, the folder under the output folder. */
  day: string;
  name: string;
  /** UTC hour key and label of an IDs file; null for the day's report and SHA256SUMS. */
  hourKey: string | null;
  label: string | null;
  status: FileStatus;
  /** OSF version of the copy now on disk (null when none is). */
  version: number | null;
  /** Bytes transferred for it in this run. */
  bytes: number;
  /** Why it is missing or failed. */
  reason: string | null;
}

/** What `downloadHours()` did. */
export interface DownloadSummary {
  fromHour: string;
  toHour: string;
  timeZone: string;
  outDir: string;
  files: FileResult[];
  bytesDownloaded: number;
  elapsedMs: number;
  /** The IDs on disk were created in other hours than requested: the labels are in another zone. */
  zoneProblem: string | null;
  /** Every requested hour and day file is on disk and verified, and holds the requested hour. */
  ok: boolean;
}

/** One line per file for plain (non-TTY) progress output. */
export function formatFileLine(result: FileResult): string {
  const version = result.version === null ? '' : ` (OSF version ${result.version})`;
  const bytes = result.bytes > 0 ? `, ${formatBytes(result.bytes)}` : '';
  const reason = result.reason === null ? '' : `: ${result.reason}`;
  return `${result.day}/${result.name}: ${result.status}${version}${bytes}${reason}`;
}

function count(files: readonly FileResult[], status: FileStatus): number {
  return files.filter((file) => file.status === status).length;
}

/** The summary printed at the end: counts, changed hours, missing and failed files, and how to re-check. */
export function formatSummary(summary: DownloadSummary): string {
  const { files } = summary;
  const hours = files.filter((file) => file.hourKey !== null);
  const counts = (['downloaded', 'unchanged', 'replaced', 'missing', 'failed'] as const)
    .map((status) => `${count(hours, status)} ${status}`)
    .join(', ');
  const lines = [
    `download: ${hours.length} hours ${summary.fromHour}..${summary.toHour} UTC (labels in ${summary.timeZone}) into ` +
      `${summary.outDir}: ${counts}; ${formatBytes(summary.bytesDownloaded)} in ${formatDuration(summary.elapsedMs)}`,
  ];
  for (const file of hours.filter((entry) => entry.status === 'replaced')) {
    lines.push(`changed on OSF, local copy replaced: ${file.label} (${file.hourKey} UTC), now OSF version ${file.version ?? '?'}`);
  }
  for (const file of hours.filter((entry) => entry.status === 'missing')) {
    lines.push(`not on OSF: ${file.label} (${file.hourKey} UTC): ${file.reason}`);
  }
  for (const file of files.filter((entry) => entry.status === 'failed' || (entry.hourKey === null && entry.status === 'missing'))) {
    lines.push(`FAILED ${file.day}/${file.name}: ${file.reason}`);
  }
  if (summary.zoneProblem !== null) lines.push(`WRONG HOURS: ${summary.zoneProblem}`);
  const days = files.filter((file) => file.name === daySumsFileName(file.day) && isOnDisk(file.status)).map((file) => file.day);
  const [first] = days;
  if (first !== undefined) {
    const others = days.length > 1 ? ` (likewise in the other ${days.length - 1} day folders)` : '';
    lines.push(`check again any time: (cd ${summary.outDir}/${first} && sha256sum -c --ignore-missing ${daySumsFileName(first)})${others}`);
  }
  return lines.map((line) => `${line}\n`).join('');
}
