import type { Clock } from '../platform/clock.js';

/** Stall watchdog, DESIGN 4: no byte (data or keep-alive) for `stallTimeoutMs` means reconnect. */
export function isStalled(lastByteAtMs: number, nowMs: number, stallTimeoutMs: number): boolean {
  return nowMs - lastByteAtMs >= stallTimeoutMs;
}

/** What watchForStall() needs. */
export interface StallWatchOptions {
  clock: Clock;
  stallTimeoutMs: number;
  /** Read at each check; the data path only stores a timestamp, so no timer is re-armed per chunk. */
  lastByteAtMs: () => number;
  onStall: () => void;
  signal: AbortSignal;
}

/** Checks a few times per timeout whether the connection stalled; calls onStall once and returns. */
export async function watchForStall(options: StallWatchOptions): Promise<void> {
  const { clock, stallTimeoutMs, lastByteAtMs, onStall, signal } = options;
  const checkEveryMs = Math.min(1000, Math.max(50, Math.floor(stallTimeoutMs / 5)));
  while (!signal.aborted) {
    try {
      await clock.sleep(checkEveryMs, signal);
    } catch {
      return;
    }
    if (isStalled(lastByteAtMs(), clock.now(), stallTimeoutMs)) {
      onStall();
      return;
    }
  }
}
