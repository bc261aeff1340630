/** What the progress bar shows: hours finished, bytes transferred against the estimate, time elapsed. */
export interface ProgressState {
  hoursDone: number;
  hoursTotal: number;
  bytesDone: number;
  bytesTotal: number;
  elapsedMs: number;
}

const UNITS = ['kB', 'MB', 'GB', 'TB'];

/** Decimal byte sizes as download tools print them: `512 B`, `1.5 kB`, `12.3 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = -1;
  while (value >= 999.95 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** A duration as `m:ss` or `h:mm:ss`, rounded up to whole seconds. */
export function formatDuration(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const [hours, minutes, seconds] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

/**
 * One line of progress: `[#####---------------] 1/4 hours  1.2 MB/4.8 MB  600.0 kB/s  ETA 0:06`. The bar
 * follows the bytes (hours when nothing is to be transferred); rate and ETA read `--` until bytes arrive.
 */
export function formatProgressBar(state: ProgressState, width = 20): string {
  const { hoursDone, hoursTotal, bytesDone, bytesTotal, elapsedMs } = state;
  const fraction = bytesTotal > 0 ? bytesDone / bytesTotal : hoursTotal > 0 ? hoursDone / hoursTotal : 1;
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  const bytesPerS = elapsedMs > 0 && bytesDone > 0 ? (bytesDone * 1000) / elapsedMs : null;
  const rate = bytesPerS === null ? '-- B/s' : `${formatBytes(bytesPerS)}/s`;
  const eta = bytesPerS === null ? '--:--' : formatDuration((Math.max(0, bytesTotal - bytesDone) / bytesPerS) * 1000);
  return [
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`,
    `${hoursDone}/${hoursTotal} hours`,
    ` ${formatBytes(bytesDone)}/${formatBytes(bytesTotal)}`,
    ` ${rate}`,
    ` ETA ${eta}`,
  ].join(' ');
}
