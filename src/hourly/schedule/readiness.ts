import { HOUR_MS, MINUTE_MS } from '../../contracts/index.js';

/** What is known of one expected server's spool on server 1. */
export interface ServerProgress {
  /** Every minute before this time is complete on server 1 (stream.json `watermark`, sync-state `complete_until`). */
  watermarkMs: number | null;
  /** When this run or an earlier one saw the watermark move (run clock), null if never seen moving. */
  advancedAtMs: number | null;
}

/** The readiness rule's inputs, DESIGN 3.4. */
export interface ReadinessInput {
  /** Reference time: server 1's watermark when fresh, else the run's clock. */
  refMs: number;
  /** The run's clock (for "moved in the last 5 minutes"). */
  nowMs: number;
  latenessMs: number;
  maxWaitMs: number;
  /** End of server 1's latest recorded downtime, if any. */
  downtimeEndMs: number | null;
  /** The expected servers: server 1, and server 2 unless `expect_server2` is false. */
  servers: readonly ServerProgress[];
}

/** A late server whose watermark moved this recently holds the deadline (a draining backlog). */
export const ADVANCING_WINDOW_MS = 5 * MINUTE_MS;
/** Server 1's watermark is the reference time while it is at most this far behind the clock. */
export const FRESH_WATERMARK_MS = 5 * MINUTE_MS;

/** Start of the UTC hour holding `ms`. */
export function hourStart(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** The reference time of DESIGN 3.4: server 1's watermark when fresh, else the run's clock. */
export function referenceTime(server1WatermarkMs: number | null, nowMs: number): number {
  if (server1WatermarkMs === null) return nowMs;
  const behind = nowMs - server1WatermarkMs;
  return behind >= 0 && behind <= FRESH_WATERMARK_MS ? server1WatermarkMs : nowMs;
}

/**
 * Hour readiness, DESIGN 3.4: ready once every expected server's watermark passed H+1:00 + lateness, or once the
 * deadline (max_wait after the later of H+1:00 and the end of server 1's latest downtime) passed and no late
 * server's watermark is still advancing.
 */
export function isHourReady(hourStartMs: number, input: ReadinessInput): boolean {
  const hourEndMs = hourStartMs + HOUR_MS;
  const neededMs = hourEndMs + input.latenessMs;
  const late = input.servers.filter((s) => s.watermarkMs === null || s.watermarkMs < neededMs);
  if (late.length === 0) return true;
  const deadlineMs = Math.max(hourEndMs, input.downtimeEndMs ?? hourEndMs) + input.maxWaitMs;
  if (input.refMs < deadlineMs) return false;
  return !late.some(
    (s) => s.watermarkMs !== null && s.advancedAtMs !== null && input.nowMs - s.advancedAtMs < ADVANCING_WINDOW_MS,
  );
}

/** What decides which hours to publish in a run. */
export interface PublishPlanInput {
  /** S of DESIGN 3.4 (first_hour, else server 1's first start, else the first hour with data), null if none. */
  firstHourMs: number | null;
  /** Hours with staged tweets that were never published. */
  unpublishedDataHours: readonly number[];
  /** Hours already published. */
  published: ReadonlySet<number>;
  readiness: ReadinessInput;
}

/** The newest hour from `oldestMs` on that is ready, or null (readiness only grows towards older hours). */
export function newestReadyHour(readiness: ReadinessInput, oldestMs: number): number | null {
  for (let hour = hourStart(readiness.refMs); hour >= oldestMs; hour -= HOUR_MS) {
    if (isHourReady(hour, readiness)) return hour;
  }
  return null;
}

/**
 * Hours to publish now, oldest first (DESIGN 3.4): every ready hour with unpublished data, and every hour from S
 * to the newest ready hour that was not published yet (published empty, so a gap is explicit).
 */
export function readyHours(input: PublishPlanInput): number[] {
  const hours = new Set<number>();
  for (const hour of input.unpublishedDataHours) {
    if (!input.published.has(hour) && isHourReady(hour, input.readiness)) hours.add(hour);
  }
  if (input.firstHourMs === null) return [...hours].sort((a, b) => a - b);
  const first = hourStart(input.firstHourMs);
  const newest = newestReadyHour(input.readiness, first);
  if (newest !== null) {
    for (let hour = first; hour <= newest; hour += HOUR_MS) {
      if (!input.published.has(hour)) hours.add(hour);
    }
  }
  return [...hours].sort((a, b) => a - b);
}
