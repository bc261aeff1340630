import { MINUTE_MS } from '../platform/time.js';

/** The state of a token's connection-request window, as the `x-rate-limit-*` headers report it. */
export interface WindowState {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetMs: number;
}

/** X allows 50 stream connection requests per 15 minutes (reference A.7). */
export const CONNECTION_REQUESTS_PER_WINDOW = 50;
/** The length of a rate-limit window. */
export const REQUEST_WINDOW_MS = 15 * MINUTE_MS;

/** Counts connection requests per token in fixed windows that open at a token's first request. */
export class RequestWindow {
  readonly #windows = new Map<string, { startMs: number; count: number }>();
  readonly #limit: number;
  readonly #windowMs: number;

  constructor(limit = CONNECTION_REQUESTS_PER_WINDOW, windowMs = REQUEST_WINDOW_MS) {
    this.#limit = limit;
    this.#windowMs = windowMs;
  }

  /** Records one request of `token` at `nowMs`; `allowed` is false once the window's limit is used up. */
  take(token: string, nowMs: number): WindowState {
    let window = this.#windows.get(token);
    if (!window || nowMs >= window.startMs + this.#windowMs) {
      window = { startMs: nowMs, count: 0 };
      this.#windows.set(token, window);
    }
    const allowed = window.count < this.#limit;
    if (allowed) window.count += 1;
    return {
      allowed,
      limit: this.#limit,
      remaining: this.#limit - window.count,
      resetMs: window.startMs + this.#windowMs,
    };
  }
}
