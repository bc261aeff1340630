import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { minuteRelativePath, minuteStart, type StreamState } from '../../src/contracts/index.js';
import type { SyncState } from '../../src/contracts/sync-state.js';
import { writeJsonAtomic } from '../../src/platform/atomic-write.js';

/** X's snowflake epoch: IDs carry their creation time, as real ones do. */
const TWITTER_EPOCH_MS = 1288834974657;

/** A snowflake ID created at `createdMs` with sequence `seq`. */
export function snowflakeId(createdMs: number, seq: number): string {
  return ((BigInt(createdMs - TWITTER_EPOCH_MS) << 22n) | BigInt(seq)).toString();
}

/** A user as `includes.users` carries it. */
export interface FakeUser {
  id: string;
  name?: string;
  username?: string;
  location?: string;
  created_at?: string;
  verified?: boolean;
  protected?: boolean;
  public_metrics?: { followers_count: number; following_count: number; tweet_count: number; listed_count: number };
}

/** What a test says about one tweet copy. */
export interface FakeTweet {
  id: string;
  createdAt: string;
  authorId?: string | null;
  text?: string;
  lang?: string;
  user?: Partial<FakeUser>;
  referenced?: Array<{ type: string; id: string }>;
}

/** One spool line: a stream message with `__meta` (DESIGN 3.1). */
export function tweetLine(tweet: FakeTweet, retrievedAt: string, server: string): string {
  const authorId = tweet.authorId === undefined ? `9${tweet.id.slice(-6)}` : tweet.authorId;
  const data: Record<string, unknown> = {
    id: tweet.id,
    text: tweet.text ?? `tweet ${tweet.id}`,
    created_at: tweet.createdAt,
    conversation_id: tweet.id,
    lang: tweet.lang ?? 'en',
    source: 'Twitter Web App',
    edit_history_tweet_ids: [tweet.id],
  };
  if (authorId !== null) data.author_id = authorId;
  if (tweet.referenced) data.referenced_tweets = tweet.referenced;
  const users =
    authorId === null
      ? []
      : [
          {
            id: authorId,
            name: `User ${authorId}`,
            username: `user${authorId}`,
            location: 'Berlin, "Mitte"',
            created_at: '2015-03-01T10:00:00.000Z',
            verified: false,
            protected: false,
            public_metrics: { followers_count: 10, following_count: 20, tweet_count: 30, listed_count: 1 },
            ...tweet.user,
          },
        ];
  return JSON.stringify({ data, includes: { users }, __meta: { retrieved_at: retrievedAt, server } });
}

/** Writes a closed spool file for `server`'s minute holding `minuteMs` with these lines; returns its spool-relative path. */
export async function writeSpoolFile(
  spool: string,
  server: string,
  minuteMs: number | string,
  lines: readonly string[],
  segment = 0,
): Promise<string> {
  const ms = minuteStart(typeof minuteMs === 'string' ? Date.parse(minuteMs) : minuteMs);
  const relativePath = minuteRelativePath(server, ms, segment);
  const path = join(spool, relativePath);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, lines.map((line) => `${line}\n`).join(''));
  return relativePath;
}

/** Writes `<state>/stream.json` for server 1 with the given watermark, first start and gaps. */
export async function writeStreamJson(
  stateDir: string,
  fields: { watermark: string; firstStartedAt?: string; gaps?: StreamState['gaps'] },
): Promise<void> {
  const state: StreamState = {
    format_version: 1,
    server: 'server1',
    first_started_at: fields.firstStartedAt ?? fields.watermark,
    started_at: fields.firstStartedAt ?? fields.watermark,
    updated_at: fields.watermark,
    connected: true,
    last_message_at: fields.watermark,
    watermark: fields.watermark,
    counters: { messages: 0, tweets: 0, errors: 0, malformed: 0, non_tweet: 0, reconnects: {} },
    gaps: fields.gaps ?? [],
    segments: {},
    auth: { state: 'ok' },
  };
  await writeJsonAtomic(join(stateDir, 'stream.json'), state);
}

/**
 * Writes server 2's `sync-state.json` into server 1's spool, as sync does last in a run: `complete_until` and
 * the sha256 of every listed server 2 file (spool-relative paths); `fields` overrides any other member.
 */
export async function writeSyncStateJson(
  spool: string,
  completeUntil: string | null,
  sentPaths: readonly string[],
  fields: Partial<SyncState> = {},
): Promise<void> {
  const sent: Record<string, string> = {};
  for (const path of sentPaths) sent[path] = createHash('sha256').update(await readFile(join(spool, path))).digest('hex');
  const state: SyncState = {
    format_version: 1,
    server: 'server2',
    complete_until: completeUntil,
    gaps: [],
    backlog: { files: 0, bytes: 0, oldest_minute: null },
    sent,
    updated_at: completeUntil ?? new Date(0).toISOString(),
    ...fields,
  };
  await writeJsonAtomic(join(spool, 'server2', '.state', 'sync-state.json'), state);
}
