import { MINUTE_MS, SECOND_MS } from '../platform/time.js';

/** Further attempts after a transient failure (no answer, 429, 5xx) of one request. */
export const TRANSIENT_RETRIES = 3;

/** No answer, rate limited, or a server error: worth asking again shortly. */
export function isTransientStatus(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

/** Wait before retry number `retry` (1-based): 2 s doubling, at least OSF's Retry-After, at most a minute. */
export function retryDelayMs(retry: number, retryAfterMs: number | null): number {
  const backoff = 2 * SECOND_MS * 2 ** Math.max(0, retry - 1);
  return Math.min(MINUTE_MS, Math.max(backoff, retryAfterMs ?? 0));
}

/** The fix for a refusal: a private project, or a wrong token; null for other statuses. */
export function accessHint(status: number): string | null {
  if (status !== 401 && status !== 403) return null;
  return 'the project is private or the token is wrong; pass --osf-token-file with a token of scope osf.full_read';
}

/** What a failed OSF answer means for a reader of the project, with the fix where there is one. */
export function describeFailure(status: number, error: string | null): string {
  if (status === 0) return `no answer from OSF (${error ?? 'connection failed'})`;
  const hint = accessHint(status);
  return `OSF answered HTTP ${status}${hint === null ? '' : `: ${hint}`}`;
}
