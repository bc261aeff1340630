import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type StreamMessage } from '../../src/merge/index.js';

/** The real API v2 search pages of fixtures/x-api-v2. */
export type FixturePage = 'search-page-kpop' | 'search-page-noflat';

// test/fixtures/x-api-v2/ in the repository, else the shared copy next to the checkout.
const FIXTURE_DIR =
  ['../fixtures/x-api-v2/', '../../../shared/fixtures/x-api-v2/']
    .map((relative) => fileURLToPath(new URL(relative, import.meta.url)))
    .find((dir) => existsSync(dir)) ?? fileURLToPath(new URL('../fixtures/x-api-v2/', import.meta.url));

type ApiObject = Record<string, unknown>;

function list(value: unknown): ApiObject[] {
  return Array.isArray(value) ? (value as ApiObject[]) : [];
}

function pick(pool: unknown, field: string, wanted: ReadonlySet<unknown>): ApiObject[] {
  return list(pool).filter((entry) => wanted.has(entry[field]));
}

/**
 * One stream message per tweet of a search page: `{data, includes}` with only the objects that tweet
 * references (author, replied-to and mentioned users, referenced tweets, media, place), as the sampled
 * stream sends them, plus `__meta` when given.
 */
export function fixtureMessages(page: FixturePage, meta?: StreamMessage['__meta']): StreamMessage[] {
  const parsed = JSON.parse(readFileSync(`${FIXTURE_DIR}${page}.jsonl`, 'utf8')) as ApiObject;
  const includes = (parsed.includes ?? {}) as ApiObject;
  return list(parsed.data).map((tweet) => {
    const entities = (tweet.entities ?? {}) as ApiObject;
    const userIds = new Set<unknown>([
      tweet.author_id,
      tweet.in_reply_to_user_id,
      ...list(entities.mentions).map((m) => m.id),
    ]);
    const tweetIds = new Set(list(tweet.referenced_tweets).map((ref) => ref.id));
    const mediaKeys = new Set<unknown>(list((tweet.attachments as ApiObject | undefined)?.media_keys));
    const placeIds = new Set([(tweet.geo as ApiObject | undefined)?.place_id]);
    const picked: ApiObject = {
      users: pick(includes.users, 'id', userIds),
      tweets: pick(includes.tweets, 'id', tweetIds),
      media: pick(includes.media, 'media_key', mediaKeys),
      places: pick(includes.places, 'id', placeIds),
    };
    for (const key of Object.keys(picked)) if (list(picked[key]).length === 0) delete picked[key];
    const message: StreamMessage = { data: tweet, includes: picked };
    if (meta !== undefined) message.__meta = { ...meta };
    return message;
  });
}
