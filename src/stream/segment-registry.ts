import { HOUR_MS, minuteKey, parseSpoolName } from '../contracts/spool-path.js';

/** How long the highest segment per minute is remembered in stream.json (DESIGN 3.1). */
export const SEGMENT_MEMORY_MS = 6 * HOUR_MS;

/** Whether a segment's file (closed or open) exists on disk. */
export type SegmentTaken = (minuteStartMs: number, segment: number) => boolean;

/**
 * Hands out spool names that were never used by this server (DESIGN 3.1): a minute written again after a
 * restart or a clock step gets the next segment `_n`. Remembers the highest segment per recent minute (the
 * files may already be synced or ingested) and also checks the disk, for a lost stream.json.
 */
export class SegmentRegistry {
  readonly #highest = new Map<number, number>();
  readonly #isTaken: SegmentTaken;

  constructor(initial: Readonly<Record<string, number>>, isTaken: SegmentTaken) {
    this.#isTaken = isTaken;
    for (const [key, segment] of Object.entries(initial)) {
      const parsed = parseSpoolName(`${key}.jsonl`);
      if (parsed && Number.isInteger(segment) && segment >= 0) this.#highest.set(parsed.minuteStartMs, segment);
    }
  }

  /** Claims the next never-used segment of a minute. */
  claim(minuteStartMs: number): number {
    const last = this.#highest.get(minuteStartMs);
    let segment = last === undefined ? 0 : last + 1;
    while (this.#isTaken(minuteStartMs, segment)) segment++;
    this.#highest.set(minuteStartMs, segment);
    return segment;
  }

  /** Records that `segment` of a minute is in use (a recovered `.part`). */
  note(minuteStartMs: number, segment: number): void {
    this.#highest.set(minuteStartMs, Math.max(segment, this.#highest.get(minuteStartMs) ?? -1));
  }

  /** The `segments` member of stream.json; forgets minutes older than SEGMENT_MEMORY_MS. */
  snapshot(nowMs: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [minuteStartMs, segment] of [...this.#highest].sort((a, b) => a[0] - b[0])) {
      if (minuteStartMs < nowMs - SEGMENT_MEMORY_MS) this.#highest.delete(minuteStartMs);
      else out[minuteKey(minuteStartMs)] = segment;
    }
    return out;
  }
}
