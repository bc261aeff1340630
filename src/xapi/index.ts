export { fieldsQuery, type FieldSettings } from './fields.js';
export { rateLimitWindow, toXApiError, XApiError, type RateLimitWindow, type XApiFailureKind } from './x-api-error.js';
export {
  checkBearerToken,
  MAX_LOOKUP_IDS,
  openXClient,
  readBearerToken,
  type TokenCheck,
  type TweetLookup,
  type TweetLookupBody,
  type XClient,
  type XClientOptions,
} from './x-client.js';
export type { ApiV2Includes, InlineErrorV2, TweetV2, TweetV2SingleStreamResult, UserV2 } from 'twitter-api-v2';
