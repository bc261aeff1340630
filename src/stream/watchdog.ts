import type { Clock } from '../platform/clock.js';

/** Stall watchdog, DESIGN 4: no byte (data or keep-alive) for `stallTimeoutMs` means reconnect. */
export function isStalled(lastByteAtMs: number, nowMs: number, stallTimeoutMs: number): boolean {
  return nowMs - lastByteAtMs >= stallTimeoutMs;
}

/** What watchForStall() needs. */
export interface StallWatchOptions {
  clock: Clock;
  stallTimeoutMs: number;
  /** Read at each wake-up; the data path only stores a timestamp, so no timer is re-armed per chunk. */
  lastByteAtMs: () => number;
  onStall: () => void;
  signal: AbortSignal;
}

/**
 * Sleeps until the stream would be stalled, then checks: bytes that came meanwhile push the deadline on, so a
 * flowing stream costs one wake-up per timeout, not one per check (issue 13). Calls onStall once and returns.
 */
export async function watchForStall(options: StallWatchOptions): Promise<void> {
  const { clock, stallTimeoutMs, lastByteAtMs, onStall, signal } = options;
  while (!signal.aborted) {
    try {
      await clock.sleep(Math.max(0, lastByteAtMs() + stallTimeoutMs - clock.now()), signal);
    } catch {
      return;
    }
    if (isStalled(lastByteAtMs(), clock.now(), stallTimeoutMs)) {
      onStall();
      return;
    }
  }
}
