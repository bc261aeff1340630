/** CSV column lists, DESIGN 3.3. */

/** Which tweets CSV columns to write (`hourly.csv_schema`). */
export type CsvSchema = 'original' | 'extended';

const AUTHOR_COLUMNS = [
  'author.created_at',
  'author.location',
  'author.name',
  'author.username',
  'author.verified',
  'author.protected',
  'author.public_metrics.followers_count',
  'author.public_metrics.following_count',
  'author.public_metrics.tweet_count',
  'author.public_metrics.listed_count',
] as const;

/** The original system's 20 tweets CSV columns, in order. */
export const TWEET_COLUMNS_ORIGINAL: readonly string[] = Object.freeze([
  'id',
  'conversation_id',
  'author_id',
  'created_at',
  'retrieved_at',
  'source',
  'lang',
  'text',
  'reference_type',
  'referenced_tweet_id',
  ...AUTHOR_COLUMNS,
]);

/*
 * Extended columns, appended after the original 20:
 * - referenced_tweets: every referenced tweet as `type:id`, joined by `;`
 * - referenced_tweet.author_id: author of the first referenced tweet (from includes.tweets)
 * - in_reply_to_user_id
 * - hashtags, mentions (usernames), media_keys: joined by `;`
 * - urls: expanded URLs joined by one space (a URL may itself contain `;`)
 * - public_metrics.*: the tweet's own counts
 * - geo.place_id, geo.full_name (from includes.places)
 * - possibly_sensitive, reply_settings
 * - edit_history_tweet_ids: joined by `;`
 */
const EXTENDED_COLUMNS = [
  'referenced_tweets',
  'referenced_tweet.author_id',
  'in_reply_to_user_id',
  'hashtags',
  'mentions',
  'urls',
  'media_keys',
  'public_metrics.retweet_count',
  'public_metrics.reply_count',
  'public_metrics.like_count',
  'public_metrics.quote_count',
  'public_metrics.impression_count',
  'public_metrics.bookmark_count',
  'geo.place_id',
  'geo.full_name',
  'possibly_sensitive',
  'reply_settings',
  'edit_history_tweet_ids',
] as const;

const TWEET_COLUMNS_EXTENDED: readonly string[] = Object.freeze([...TWEET_COLUMNS_ORIGINAL, ...EXTENDED_COLUMNS]);

/** The tweets CSV columns of a schema: the original 20, then the extended ones after them. */
export function tweetColumns(schema: CsvSchema): readonly string[] {
  return schema === 'extended' ? TWEET_COLUMNS_EXTENDED : TWEET_COLUMNS_ORIGINAL;
}

/** The users CSV's 12 columns. */
export const USER_COLUMNS: readonly string[] = Object.freeze(['author_id', 'lang', ...AUTHOR_COLUMNS]);
