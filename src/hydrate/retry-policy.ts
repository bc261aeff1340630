import { MINUTE_MS, SECOND_MS } from '../platform/time.js';
import type { RateLimitWindow, XApiFailureKind } from '../xapi/index.js';

/** What to do after a failed lookup: wait and send it again, or stop the run. */
export type RetryDecision = { action: 'retry'; delayMs: number; rateLimited: boolean } | { action: 'stop' };

/** The reset time is the server's clock, in whole seconds: a second more keeps us from arriving early. */
export const RESET_MARGIN_MS = SECOND_MS;
/** Consecutive failures of one request (other than a 429 with a reset time) before the run stops. */
export const MAX_ATTEMPTS = 8;
const SERVER_FIRST_MS = 5 * SECOND_MS;
const SERVER_MAX_MS = 320 * SECOND_MS;
const RATE_LIMIT_FIRST_MS = MINUTE_MS;
const RATE_LIMIT_MAX_MS = 15 * MINUTE_MS;

function exponential(firstMs: number, maxMs: number, attempt: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(attempt, 20));
}

/**
 * The wait before retry number `attempt` (0-based) of a failed lookup, after X's guidance (reference A.6): a 429
 * waits for its window's reset when the headers give one, else 1 min doubling up to 15 min; 5xx and network
 * errors 5 s doubling up to 320 s. 401, 403, 400 and a bad token file stop at once: retrying cannot fix them.
 */
export function retryDecision(
  failure: { kind: XApiFailureKind; rateLimit: RateLimitWindow | null },
  attempt: number,
  nowMs: number,
): RetryDecision {
  if (failure.kind === 'rate-limit') {
    const resetMs = failure.rateLimit?.resetMs;
    if (resetMs !== undefined && resetMs > nowMs) return { action: 'retry', delayMs: resetMs - nowMs + RESET_MARGIN_MS, rateLimited: true };
    if (attempt >= MAX_ATTEMPTS) return { action: 'stop' };
    return { action: 'retry', delayMs: exponential(RATE_LIMIT_FIRST_MS, RATE_LIMIT_MAX_MS, attempt), rateLimited: true };
  }
  if ((failure.kind === 'server' || failure.kind === 'network') && attempt < MAX_ATTEMPTS) {
    return { action: 'retry', delayMs: exponential(SERVER_FIRST_MS, SERVER_MAX_MS, attempt), rateLimited: false };
  }
  return { action: 'stop' };
}

/** How long to wait before the next request after a success: until the reset once the window is spent, else 0. */
export function waitAfterSuccess(rateLimit: RateLimitWindow | null, nowMs: number): number {
  if (!rateLimit || rateLimit.remaining > 0 || rateLimit.resetMs <= nowMs) return 0;
  return rateLimit.resetMs - nowMs + RESET_MARGIN_MS;
}
