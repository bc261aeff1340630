import { MINUTE_MS } from '../../contracts/index.js';

/**
 * How far a tweet's created_at may be after its receipt: the X API stamps created_at before it streams the
 * tweet, so anything ahead is clock skew between the two; more than this is a bad timestamp, not skew.
 */
export const MAX_CREATED_AHEAD_MS = 10 * MINUTE_MS;

/** Where a tweet's created_at lies against its receipt time (issue 15.4). */
export type CreatedSkew = 'ok' | 'too-old' | 'ahead';

/**
 * Whether a tweet may be routed to its created_at hour: not more than `maxBeforeMs` before its receipt and
 * not more than MAX_CREATED_AHEAD_MS after it (both bounds included). Others are quarantined, as an hour of
 * their own would publish whole stale days or wait in staging for ever.
 */
export function createdSkew(createdAtMs: number, receivedAtMs: number, maxBeforeMs: number): CreatedSkew {
  if (createdAtMs < receivedAtMs - maxBeforeMs) return 'too-old';
  if (createdAtMs > receivedAtMs + MAX_CREATED_AHEAD_MS) return 'ahead';
  return 'ok';
}
