import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { TwitterApi, type ApiV2Includes, type InlineErrorV2, type TweetV2 } from 'twitter-api-v2';
import { readTokenFile } from '../platform/secret-file.js';
import { rateLimitWindow, toXApiError, XApiError, type RateLimitWindow } from './x-api-error.js';

/** `GET /2/tweets` takes 1 to 100 IDs (reference A.3, openapi `ids`). */
export const MAX_LOOKUP_IDS = 100;
/** A request that has not answered in this time fails as a network error (and is retried by the caller). */
const REQUEST_TIMEOUT_MS = 30_000;
/** Tweet 20 exists on X; any ID proves the token, and a missing one is a 200 with an `errors` entry. */
const TOKEN_CHECK_ID = '20';

/** One `GET /2/tweets` answer as the API sent it (`data` is absent when no requested tweet exists). */
export interface TweetLookupBody {
  data?: TweetV2[];
  includes?: ApiV2Includes;
  errors?: InlineErrorV2[];
  [member: string]: unknown;
}

/** A lookup answer with its rate-limit window. */
export interface TweetLookup {
  body: TweetLookupBody;
  rateLimit: RateLimitWindow | null;
}

/** Where and with which token to call the X REST API. */
export interface XClientOptions {
  /** `x_api.base_url`, e.g. https://api.x.com or the emulator's http://127.0.0.1:PORT. */
  baseUrl: string;
  tokenFile: string;
  /** The setting or option that named `tokenFile`, for error messages. @default 'x_api.bearer_token_file' */
  tokenKey?: string;
}

/** The project's one X REST client (issue 11.3): every REST call goes through here, over twitter-api-v2. */
export interface XClient {
  /** The API origin, for messages. */
  readonly origin: string;
  /** Looks up 1..100 tweet IDs with the given field/expansion query; throws XApiError. */
  lookupTweets(ids: readonly string[], fields: Readonly<Record<string, string>>): Promise<TweetLookup>;
  /** Releases the kept-alive sockets. */
  close(): void;
}

/** Reads the bearer token, with a one-line error for a missing, empty, folder, too-open or malformed file. */
export async function readBearerToken(tokenFile: string, tokenKey = 'x_api.bearer_token_file'): Promise<string> {
  try {
    return await readTokenFile(tokenKey, tokenFile);
  } catch (err) {
    throw new XApiError('token-file', 0, (err as Error).message, null, `put the app bearer token in ${tokenFile} (owned by you, chmod 600)`);
  }
}

/** Builds the client: the token is read once here and never logged; http:// base URLs work (the emulator). */
export async function openXClient(options: XClientOptions): Promise<XClient> {
  const base = new URL(options.baseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new XApiError('other', 0, `Cannot call '${options.baseUrl}': the base URL must be http(s)`, null);
  }
  const token = await readBearerToken(options.tokenFile, options.tokenKey);
  // twitter-api-v2 sends through https.request, which takes an http:// URL only with an http.Agent (reference B.0).
  const agent = base.protocol === 'http:' ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true });
  const client = new TwitterApi(token, { httpAgent: agent });
  // With `prefix` every call goes to `<base_url>/2/...` instead of the library's fixed https://api.x.com/2/.
  const prefix = `${base.href.replace(/\/+$/, '')}/2/`;
  return {
    origin: base.origin,
    async lookupTweets(ids, fields) {
      if (ids.length < 1 || ids.length > MAX_LOOKUP_IDS) {
        throw new RangeError(`Cannot look up ${ids.length} IDs: GET /2/tweets takes 1 to ${MAX_LOOKUP_IDS}`);
      }
      try {
        const response = await client.v2.get<TweetLookupBody>(
          'tweets',
          { ...fields, ids: ids.join(',') },
          { fullResponse: true, prefix, timeout: REQUEST_TIMEOUT_MS },
        );
        return { body: response.data, rateLimit: rateLimitWindow(response.rateLimit) };
      } catch (err) {
        throw toXApiError(err, `GET ${base.origin}/2/tweets`);
      }
    },
    close: () => agent.destroy(),
  };
}

/** The outcome of trying a token with one real v2 call. */
export interface TokenCheck {
  origin: string;
  rateLimit: RateLimitWindow | null;
}

/** Tries the token with one `GET /2/tweets` (issue 15.3); throws XApiError with the API's words. */
export async function checkBearerToken(options: XClientOptions): Promise<TokenCheck> {
  const client = await openXClient(options);
  try {
    const { rateLimit } = await client.lookupTweets([TOKEN_CHECK_ID], {});
    return { origin: client.origin, rateLimit };
  } finally {
    client.close();
  }
}
