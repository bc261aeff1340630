/** The epoch of X snowflake IDs (2010-11-04T01:42:54.657Z). */
export const TWITTER_EPOCH_MS = 1288834974657;

const EPOCH = BigInt(TWITTER_EPOCH_MS);
const TIME_SHIFT = 22n;
/** Worker (10 bits) and sequence (12 bits) share the low 22 bits of an ID. */
export const WORKER_SEQUENCE_SPACE = 1 << 22;

/** The decimal snowflake ID for a post created at `createdMs` by `workerSequence` (0 .. 2^22-1). */
export function snowflakeId(createdMs: number, workerSequence: number): string {
  return (((BigInt(createdMs) - EPOCH) << TIME_SHIFT) | BigInt(workerSequence)).toString();
}

/** The creation time (epoch ms) a decimal snowflake ID encodes. */
export function snowflakeTimeMs(id: string): number {
  return Number((BigInt(id) >> TIME_SHIFT) + EPOCH);
}
