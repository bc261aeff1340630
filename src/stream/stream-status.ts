import type { ConnectionGap, ReconnectCause, StreamState } from '../contracts/stream-state.js';
import type { LineKind } from './spool-line.js';
import { minuteStart } from '../contracts/spool-path.js';
import { DAY_MS, HOUR_MS } from '../platform/time.js';

/** Gaps older than this are dropped from stream.json (DESIGN 3.2: "the last days"). */
export const GAP_MEMORY_MS = 7 * DAY_MS;
/** Per-minute tweet counts kept in stream.json (`status` shows the tweets of the last hour). */
export const MINUTE_COUNTS_MEMORY_MS = HOUR_MS;

/** How StreamStatus starts. */
export interface StreamStatusOptions {
  server: string;
  nowMs: number;
  /** The state the previous run left, or null on the very first start. */
  previous: StreamState | null;
  /** Connections that must all deliver for the stream to count as connected (partitions with sample10). */
  connections: number;
}

type Counters = StreamState['counters'];

const iso = (ms: number) => new Date(ms).toISOString();

function emptyCounters(): Counters {
  return { messages: 0, tweets: 0, errors: 0, malformed: 0, non_tweet: 0, truncated: 0, reconnects: {} };
}

/**
 * The daemon's view of itself, DESIGN 3.2: counters, connection gaps (time when not every connection
 * delivers data, daemon downtime included), auth state. Pure: every call takes the time.
 */
export class StreamStatus {
  readonly #server: string;
  readonly #firstStartedAt: string;
  readonly #startedAt: string;
  readonly #connections: number;
  readonly #delivering = new Set<string>();
  readonly #counters: Counters;
  #gaps: ConnectionGap[];
  #openGap: { startMs: number; reason: string } | null;
  #lastMessageAtMs: number | null;
  #watermarkMs: number;
  #auth: StreamState['auth'];
  #usageCappedAt: string | null;
  #spoolFullSince: string | null;
  readonly #tweetsByMinute = new Map<number, number>();

  constructor(options: StreamStatusOptions) {
    const { previous, nowMs } = options;
    this.#server = options.server;
    this.#connections = options.connections;
    this.#startedAt = iso(nowMs);
    this.#firstStartedAt = previous?.first_started_at ?? this.#startedAt;
    this.#counters = previous
      ? { ...emptyCounters(), ...previous.counters, reconnects: { ...previous.counters.reconnects } }
      : emptyCounters();
    this.#gaps = (previous?.gaps ?? []).filter((g) => !g.open).map(({ start, end, reason }) => ({ start, end, reason }));
    this.#lastMessageAtMs = previous?.last_message_at ? Date.parse(previous.last_message_at) : null;
    this.#watermarkMs = previous ? Date.parse(previous.watermark) : 0;
    this.#auth = previous?.auth ?? { state: 'unknown' };
    this.#usageCappedAt = previous?.usage_capped_at ?? null;
    // A restart cannot know whether the disk is still full: the next write says so again.
    this.#spoolFullSince = null;
    for (const [minute, tweets] of Object.entries(previous?.tweets_by_minute ?? {})) {
      this.#tweetsByMinute.set(Date.parse(minute), tweets);
    }
    const stillOpen = previous?.gaps.find((g) => g.open);
    if (stillOpen) this.#openGap = { startMs: Date.parse(stillOpen.start), reason: stillOpen.reason };
    else if (previous) this.#openGap = { startMs: Math.min(Date.parse(previous.updated_at), nowMs), reason: 'daemon-down' };
    else this.#openGap = { startMs: nowMs, reason: 'starting' };
  }

  /** A connection delivers bytes again; the gap closes once every connection does. */
  connectionUp(connection: string, atMs: number): void {
    this.#delivering.add(connection);
    if (this.#openGap && this.#delivering.size >= this.#connections) {
      this.#gaps.push({ start: iso(this.#openGap.startMs), end: iso(atMs), reason: this.#openGap.reason });
      this.#openGap = null;
    }
  }

  /** A connection stopped delivering data at `sinceMs`, for `reason`. */
  connectionDown(connection: string, reason: string, sinceMs: number): void {
    this.#delivering.delete(connection);
    this.#openGap ??= { startMs: sinceMs, reason };
  }

  /** Counts a reconnect by its cause. */
  recordReconnect(cause: ReconnectCause): void {
    this.#counters.reconnects[cause] = (this.#counters.reconnects[cause] ?? 0) + 1;
  }

  /** Counts a line written to the spool. */
  recordLine(kind: LineKind, atMs: number): void {
    this.#counters.messages++;
    if (kind === 'tweet') {
      this.#counters.tweets++;
      const minute = minuteStart(atMs);
      this.#tweetsByMinute.set(minute, (this.#tweetsByMinute.get(minute) ?? 0) + 1);
    } else this.#counters.non_tweet++;
    if (kind === 'error-only') this.#counters.errors++;
    this.#lastMessageAtMs = atMs;
  }

  /** Counts a malformed line (never written). */
  recordMalformed(): void {
    this.#counters.malformed++;
  }

  /** Counts partial last lines dropped. */
  recordTruncated(lines: number): void {
    this.#counters.truncated = (this.#counters.truncated ?? 0) + lines;
  }

  /** The API accepted the token. */
  recordAuthOk(atMs: number): void {
    this.#auth = { state: 'ok', at: iso(atMs) };
    this.#usageCappedAt = null;
  }

  /** The API rejected the request (401, 403, other 4xx), with its own explanation. */
  recordAuthRejected(status: number, detail: string, atMs: number): void {
    this.#auth = { state: 'rejected', status, detail, at: iso(atMs) };
  }

  /** The token file cannot be used (missing, empty, malformed): no connection can be tried, an auth alert. */
  recordTokenUnusable(detail: string, atMs: number): void {
    this.#auth = { state: 'rejected', detail, at: iso(atMs) };
  }

  /** The spool's disk became full (`atMs`), or has room again (null). */
  recordSpoolFull(atMs: number | null): void {
    this.#spoolFullSince = atMs === null ? null : (this.#spoolFullSince ?? iso(atMs));
  }

  /** The API reported a usage cap. */
  recordUsageCap(atMs: number): void {
    this.#usageCappedAt = iso(atMs);
  }

  /** True while every connection delivers. */
  isConnected(): boolean {
    return this.#delivering.size >= this.#connections;
  }

  /**
   * stream.json as of `nowMs`. `watermarkMs` is the start of the oldest unclosed minute; the published
   * watermark never moves back.
   */
  snapshot(nowMs: number, watermarkMs: number, segments: Record<string, number>): StreamState {
    this.#watermarkMs = Math.max(this.#watermarkMs, watermarkMs);
    this.#gaps = this.#gaps.filter((g) => Date.parse(g.end) >= nowMs - GAP_MEMORY_MS);
    const tweetsByMinute: Record<string, number> = {};
    for (const [minute, tweets] of [...this.#tweetsByMinute].sort((a, b) => a[0] - b[0])) {
      if (minute < minuteStart(nowMs) - MINUTE_COUNTS_MEMORY_MS) this.#tweetsByMinute.delete(minute);
      else tweetsByMinute[iso(minute)] = tweets;
    }
    const gaps = [...this.#gaps];
    if (this.#openGap) {
      gaps.push({ start: iso(this.#openGap.startMs), end: iso(nowMs), reason: this.#openGap.reason, open: true });
    }
    return {
      format_version: 1,
      server: this.#server,
      first_started_at: this.#firstStartedAt,
      started_at: this.#startedAt,
      updated_at: iso(nowMs),
      connected: this.isConnected(),
      last_message_at: this.#lastMessageAtMs === null ? null : iso(this.#lastMessageAtMs),
      watermark: iso(this.#watermarkMs),
      counters: { ...this.#counters, reconnects: { ...this.#counters.reconnects } },
      gaps,
      segments,
      auth: { ...this.#auth },
      usage_capped_at: this.#usageCappedAt,
      spool_full_since: this.#spoolFullSince,
      tweets_by_minute: tweetsByMinute,
    };
  }
}
