import { MINUTE_MS } from '../platform/time.js';

/** First retry delay; it doubles per failed attempt. */
export const FIRST_RETRY_MS = MINUTE_MS;
/** Longest retry delay for transient failures. */
export const MAX_RETRY_MS = 60 * MINUTE_MS;
/** Pause after an auth or quota refusal: a person has to act, so OSF is not hammered meanwhile. */
export const ALERT_PAUSE_MS = 60 * MINUTE_MS;

/** Backoff after the `attempts`-th failure (1 min doubling to 1 h), never shorter than OSF's Retry-After. */
export function nextAttemptDelay(attempts: number, retryAfterMs: number | null): number {
  const exponent = Math.max(0, attempts - 1);
  const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(exponent, 30));
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** Parses a Retry-After header (seconds or an HTTP date) into ms from `nowMs`; null when absent or invalid. */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null || header.trim() === '') return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number.parseInt(value, 10) * 1000;
  const atMs = Date.parse(value);
  return Number.isNaN(atMs) ? null : Math.max(0, atMs - nowMs);
}
