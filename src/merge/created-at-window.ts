import { HOUR_MS, MINUTE_MS } from '../platform/time.js';

/**
 * How far `created_at` may be ahead of our receipt time. X's clock and ours (NTP) differ by seconds, and the
 * stream delivers a tweet within seconds of its creation; minutes ahead means a wrong clock or a forged line.
 */
export const MAX_CREATED_AHEAD_MS = 10 * MINUTE_MS;

/**
 * Pure: why a tweet's `created_at` cannot be routed to an hour, or null when it can (issue 15.4). Tweets are
 * routed by `created_at`; one far from its receipt would publish a 1970 hour of its own, or wait in staging for an
 * hour that never ends, so it is set aside instead. `receiptMs` is `__meta.retrieved_at`, else the spool minute.
 */
export function createdAtOutsideWindow(createdAtMs: number, receiptMs: number, maxSkewH: number): string | null {
  const skewMs = receiptMs - createdAtMs;
  if (skewMs > maxSkewH * HOUR_MS) {
    return `created_at ${new Date(createdAtMs).toISOString()} is ${hours(skewMs)} h before its receipt (hourly.max_created_skew_h ${maxSkewH})`;
  }
  if (-skewMs > MAX_CREATED_AHEAD_MS) {
    return `created_at ${new Date(createdAtMs).toISOString()} is ${hours(-skewMs)} h after its receipt (at most ${MAX_CREATED_AHEAD_MS / MINUTE_MS} min allowed)`;
  }
  return null;
}

function hours(ms: number): string {
  return (ms / HOUR_MS).toFixed(1);
}
