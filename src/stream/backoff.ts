import type { FailureClass } from './classify.js';
import { MINUTE_MS, SECOND_MS } from '../platform/time.js';

/** Reconnect policy, DESIGN 4 (X's guidance, made precise). */

const NETWORK_STEP_MS = 250;
const NETWORK_MAX_MS = 16 * SECOND_MS;
const HTTP_FIRST_MS = 5 * SECOND_MS;
const HTTP_MAX_MS = 320 * SECOND_MS;
const RATE_LIMIT_FIRST_MS = MINUTE_MS;
const RATE_LIMIT_MAX_MS = 15 * MINUTE_MS;
const SLOW_RETRY_MS = 15 * MINUTE_MS;
/** `x-rate-limit-reset` is in X's clock, whole seconds: a second more keeps us past it despite skew. */
const RESET_MARGIN_MS = SECOND_MS;

/** A connection that lived this long ends with an immediate reconnect (X: "reconnect immediately"). */
export const IMMEDIATE_RECONNECT_AFTER_MS = 30 * SECOND_MS;
/** A connection that lived this long resets every failure counter. */
export const RESET_COUNTERS_AFTER_MS = 5 * MINUTE_MS;
/** At most this many connection attempts in any `ATTEMPT_WINDOW_MS` (X allows 50). */
export const MAX_ATTEMPTS_PER_WINDOW = 45;
/** The sliding window of the attempt budget. */
export const ATTEMPT_WINDOW_MS = 15 * MINUTE_MS;

/** Classes of an established connection ending; their counters reset once a connection lives 30 s. */
const ENDED_CLASSES: readonly FailureClass[] = ['drop', 'stall', 'operational-disconnect'];

/** What nextDelay() needs besides the class and attempt. */
export interface DelayContext {
  nowMs: number;
  /** When the API's request budget resets (`x-rate-limit-reset`), if `x-rate-limit-remaining` was 0. */
  resetAtMs: number | null;
}

/**
 * Milliseconds to wait before reconnecting after the `attempt`-th consecutive failure (1-based) of class
 * `cls` (DESIGN 4). An ended connection reconnects at once the first time, then backs off like a network
 * error, so a server that drops every connection at once is not hammered.
 */
export function nextDelay(cls: FailureClass, attempt: number, context: DelayContext): number {
  const n = Math.max(1, attempt);
  switch (cls) {
    case 'drop':
    case 'stall':
    case 'operational-disconnect':
      return Math.min(NETWORK_STEP_MS * (n - 1), NETWORK_MAX_MS);
    case 'network':
      return Math.min(NETWORK_STEP_MS * n, NETWORK_MAX_MS);
    case 'http-5xx':
      return Math.min(HTTP_FIRST_MS * 2 ** (n - 1), HTTP_MAX_MS);
    case 'rate-limit':
    case 'too-many-connections': {
      const exponential = Math.min(RATE_LIMIT_FIRST_MS * 2 ** (n - 1), RATE_LIMIT_MAX_MS);
      const untilReset = context.resetAtMs === null ? 0 : context.resetAtMs + RESET_MARGIN_MS - context.nowMs;
      return Math.max(exponential, untilReset);
    }
    case 'usage-cap':
    case 'config':
      return SLOW_RETRY_MS;
  }
}

/**
 * Extra wait so that an attempt at `nowMs` keeps at most `MAX_ATTEMPTS_PER_WINDOW` attempts in any
 * `ATTEMPT_WINDOW_MS`, given the times of earlier attempts (ascending).
 */
export function attemptBudgetWait(attemptTimesMs: readonly number[], nowMs: number): number {
  const recent = attemptTimesMs.filter((t) => t > nowMs - ATTEMPT_WINDOW_MS);
  if (recent.length < MAX_ATTEMPTS_PER_WINDOW) return 0;
  // The oldest attempts must leave the window until only MAX - 1 remain, making room for this one.
  const mustExpire = recent[recent.length - MAX_ATTEMPTS_PER_WINDOW]!;
  return Math.max(0, mustExpire + ATTEMPT_WINDOW_MS - nowMs);
}

/** What ReconnectPolicy.onFailure() needs to know about the failed connection. */
export interface FailureContext extends DelayContext {
  /** When the failed connection was established (HTTP 200), or null if it never was. */
  connectedAtMs: number | null;
}

/** Per-connection reconnect state: failure counters per class and recent attempt times (pure, clock-free). */
export class ReconnectPolicy {
  readonly #failures = new Map<FailureClass, number>();
  #attemptTimesMs: number[] = [];

  /** Wait needed before the next connection attempt to respect the attempt budget. */
  budgetWait(nowMs: number): number {
    return attemptBudgetWait(this.#attemptTimesMs, nowMs);
  }

  /** Records a connection attempt made at `nowMs`. */
  recordAttempt(nowMs: number): void {
    this.#attemptTimesMs = this.#attemptTimesMs.filter((t) => t > nowMs - ATTEMPT_WINDOW_MS);
    this.#attemptTimesMs.push(nowMs);
  }

  /** Records a failure or an ended connection and returns the delay before the next attempt. */
  onFailure(cls: FailureClass, context: FailureContext): number {
    const livedMs = context.connectedAtMs === null ? 0 : context.nowMs - context.connectedAtMs;
    if (livedMs >= RESET_COUNTERS_AFTER_MS) this.#failures.clear();
    else if (livedMs >= IMMEDIATE_RECONNECT_AFTER_MS) for (const c of ENDED_CLASSES) this.#failures.delete(c);
    const attempt = (this.#failures.get(cls) ?? 0) + 1;
    this.#failures.set(cls, attempt);
    return nextDelay(cls, attempt, context);
  }

  /** Consecutive failures of `cls` so far. */
  failures(cls: FailureClass): number {
    return this.#failures.get(cls) ?? 0;
  }
}
