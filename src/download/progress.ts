import type { Writable } from 'node:stream';
import type { Clock } from '../platform/clock.js';
import { formatProgressBar } from './progress-bar.js';
import { formatFileLine, type FileResult } from './summary.js';

/** Where `downloadHours()` reports progress. */
export interface DownloadProgress {
  /** The work ahead: requested hours, and the bytes of the files that will be transferred. */
  begin(totals: { hours: number; bytes: number }): void;
  /** `bytes` more arrived. */
  transferred(bytes: number): void;
  /** A failed attempt will transfer a file again: the estimate grows by its size. */
  retrying(bytes: number): void;
  /** A file is finished, whatever its outcome. */
  fileDone(result: FileResult): void;
  /** Everything is finished. */
  end(): void;
}

/** Progress that goes nowhere (library callers that only want the summary). */
export const silentProgress: DownloadProgress = {
  begin: () => undefined,
  transferred: () => undefined,
  retrying: () => undefined,
  fileDone: () => undefined,
  end: () => undefined,
};

/** Plain log lines, one per finished file: for logs, pipes and cron mails. */
export function lineProgress(out: Writable): DownloadProgress {
  return { ...silentProgress, fileDone: (result) => out.write(`${formatFileLine(result)}\n`) };
}

/** Redraws at most this often, so a fast link does not flood the terminal. */
const REDRAW_MS = 200;

/** A progress bar redrawn in place on a terminal (hours and bytes done, rate, ETA), driven by `clock`. */
export function barProgress(out: Writable, clock: Clock): DownloadProgress {
  const state = { hoursDone: 0, hoursTotal: 0, bytesDone: 0, bytesTotal: 0, elapsedMs: 0 };
  // A file can finish twice (synced again after its day's SHA256SUMS changed): hours are counted once.
  const hoursDone = new Set<string>();
  let startMs = clock.now();
  let drawnAtMs = Number.NEGATIVE_INFINITY;
  const draw = (force: boolean) => {
    const nowMs = clock.now();
    if (!force && nowMs - drawnAtMs < REDRAW_MS) return;
    drawnAtMs = nowMs;
    state.elapsedMs = nowMs - startMs;
    out.write(`\r${formatProgressBar(state)}\x1b[K`);
  };
  return {
    begin(totals) {
      startMs = clock.now();
      state.hoursTotal = totals.hours;
      state.bytesTotal = totals.bytes;
      draw(true);
    },
    transferred(bytes) {
      state.bytesDone += bytes;
      draw(false);
    },
    retrying(bytes) {
      state.bytesTotal += bytes;
    },
    fileDone(result) {
      if (result.hourKey !== null) hoursDone.add(result.hourKey);
      state.hoursDone = hoursDone.size;
      draw(true);
    },
    end() {
      draw(true);
      out.write('\n');
    },
  };
}
