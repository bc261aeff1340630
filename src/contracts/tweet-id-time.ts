/** X snowflake IDs carry their creation time in the bits above the low 22, counted from this epoch. */
const TWEET_ID_EPOCH_MS = 1288834974657n;

/** The creation time (epoch ms) a decimal tweet ID encodes; it lies in the same UTC hour as the tweet's `created_at`. */
export function tweetIdTimeMs(id: string): number {
  return Number((BigInt(id) >> 22n) + TWEET_ID_EPOCH_MS);
}
