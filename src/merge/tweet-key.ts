import { type StreamMessage } from './flatten.js';

/** Routing info of a tweet message: its ID, `created_at` and author. */
export interface TweetKey {
  id: string;
  createdAtMs: number;
  authorId: string | null;
}

// Leading zeros would give one ID two spellings (and break numeric order); the API never sends them.
const DECIMAL_ID = /^(?:0|[1-9][0-9]*)$/;

/** Tweet id + created_at hour routing info (DESIGN 3.4); null when the message has no usable data.id/created_at. */
export function tweetKey(message: StreamMessage): TweetKey | null {
  const data = message.data;
  if (data === undefined || data === null || typeof data !== 'object') return null;
  const { id, created_at: createdAt, author_id: authorId } = data;
  if (typeof id !== 'string' || !DECIMAL_ID.test(id) || typeof createdAt !== 'string') return null;
  const createdAtMs = Date.parse(createdAt);
  if (!Number.isFinite(createdAtMs)) return null;
  return { id, createdAtMs, authorId: typeof authorId === 'string' && authorId !== '' ? authorId : null };
}

/** The copy's `__meta.retrieved_at` in epoch ms; +Infinity when absent or unreadable, so such a copy never wins. */
export function retrievedAtMs(message: StreamMessage): number {
  const value = message.__meta?.retrieved_at;
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : Number.POSITIVE_INFINITY;
}
