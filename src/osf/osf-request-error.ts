import type { WaterButlerResult } from './waterbutler.js';

/** A WaterButler request that did not succeed; callers classify it by `status` (0 = no answer). */
export class OsfRequestError extends Error {
  readonly status: number;
  readonly retryAfterMs: number | null;

  constructor(action: string, result: WaterButlerResult) {
    super(`Cannot ${action}: ${result.status === 0 ? (result.error ?? 'no answer') : `HTTP ${result.status}`}`);
    this.name = 'OsfRequestError';
    this.status = result.status;
    this.retryAfterMs = result.retryAfterMs;
  }
}
