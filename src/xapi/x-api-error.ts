import { ApiPartialResponseError, ApiRequestError, ApiResponseError, type TwitterRateLimit } from 'twitter-api-v2';

/** What went wrong with an X REST call, as the caller decides on it. */
export type XApiFailureKind =
  | 'token-file'
  | 'unauthorized'
  | 'forbidden'
  | 'rate-limit'
  | 'server'
  | 'invalid-request'
  | 'network'
  | 'other';

/** The rate-limit window of a response (x-rate-limit-* headers); `resetMs` in epoch ms. */
export interface RateLimitWindow {
  limit: number;
  remaining: number;
  resetMs: number;
}

/** The client-not-enrolled 403 (reference A.9): the token works, but its app is not attached to a Project. */
const NOT_ENROLLED_HINT =
  'the app of this token is not attached to a Project: in the X developer portal, add the app to a Project ' +
  'whose access tier includes the v2 endpoints you use (the sampled stream for `stream`, tweet lookup for `hydrate`)';

/**
 * A failed X REST call with the API's own words (title, detail, type) and its rate-limit window. It keeps copies
 * of what it needs, never twitter-api-v2's error, whose request object holds the Authorization header.
 */
export class XApiError extends Error {
  override name = 'XApiError';
  constructor(
    readonly kind: XApiFailureKind,
    /** HTTP status, 0 when no response came. */
    readonly status: number,
    message: string,
    readonly rateLimit: RateLimitWindow | null,
    /** What to do about it, for people. */
    readonly hint: string | null = null,
  ) {
    super(message);
  }
}

/** twitter-api-v2's `rateLimit` (reset in epoch seconds) in our units, or null without the headers. */
export function rateLimitWindow(rateLimit: TwitterRateLimit | undefined): RateLimitWindow | null {
  if (!rateLimit || !Number.isFinite(rateLimit.reset) || !Number.isFinite(rateLimit.remaining)) return null;
  return { limit: rateLimit.limit, remaining: rateLimit.remaining, resetMs: rateLimit.reset * 1000 };
}

function stringMember(value: unknown, key: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const member = (value as Record<string, unknown>)[key];
  return typeof member === 'string' && member !== '' ? member : undefined;
}

/** The API's explanation: `title: detail (type)`, with the first parameter error of a 400. */
function apiWords(data: unknown): string {
  const title = stringMember(data, 'title');
  const detail = stringMember(data, 'detail');
  const type = stringMember(data, 'type');
  const errors = (data as { errors?: unknown } | null)?.errors;
  const first = Array.isArray(errors) ? (stringMember(errors[0], 'message') ?? stringMember(errors[0], 'detail')) : undefined;
  const words = [title, detail].filter(Boolean).join(': ') || first || 'no explanation in the body';
  const extra = first && first !== words ? `; ${first}` : '';
  return `${words}${extra}${type && type !== 'about:blank' ? ` (${type})` : ''}`;
}

function kindOf(status: number): XApiFailureKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate-limit';
  if (status === 400) return 'invalid-request';
  if (status >= 500) return 'server';
  return 'other';
}

function hintFor(kind: XApiFailureKind, data: unknown): string | null {
  if (kind === 'forbidden' && (stringMember(data, 'reason') === 'client-not-enrolled' || /client-forbidden/.test(stringMember(data, 'type') ?? ''))) {
    return NOT_ENROLLED_HINT;
  }
  switch (kind) {
    case 'unauthorized':
      return 'the bearer token was refused: put the app bearer token (from the developer portal) in the token file';
    case 'forbidden':
      return "the token is valid but not allowed here: check the app's access tier and Project";
    case 'invalid-request':
      return 'fix the field and expansion lists (x_api.tweet_fields, user_fields, expansions) to values the API accepts';
    default:
      return null;
  }
}

/** Maps anything a twitter-api-v2 call throws to an XApiError with a clear message (no secret in it). */
export function toXApiError(err: unknown, what: string): XApiError {
  if (err instanceof XApiError) return err;
  if (err instanceof ApiResponseError) {
    const kind = kindOf(err.code);
    const window = rateLimitWindow(err.rateLimit);
    const reset = kind === 'rate-limit' && window ? `; the window resets at ${new Date(window.resetMs).toISOString()}` : '';
    return new XApiError(kind, err.code, `${what}: the API answered ${err.code}, ${apiWords(err.data)}${reset}`, window, hintFor(kind, err.data));
  }
  if (err instanceof ApiPartialResponseError) {
    return new XApiError('network', err.response.statusCode ?? 0, `${what}: the response was cut or not JSON (${err.responseError.message})`, null);
  }
  if (err instanceof ApiRequestError) {
    // twitter-api-v2 1.29 builds this error with `{ error }` while its `requestError` getter reads another key.
    const options = Object.getOwnPropertyDescriptor(err, '_options')?.value as { error?: Error } | undefined;
    const cause = (err.requestError ?? options?.error) as NodeJS.ErrnoException | undefined;
    return new XApiError('network', 0, `${what}: ${cause?.code ?? cause?.message ?? err.message}`, null, 'check the base URL, DNS and the network');
  }
  return new XApiError('other', 0, `${what}: ${err instanceof Error ? err.message : String(err)}`, null);
}
