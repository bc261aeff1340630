import type { ConnectionGap } from '../contracts/index.js';

/** When each tweet reached a server: ID -> `__meta.retrieved_at` in ms. */
export type Receipts = ReadonlyMap<string, number>;

/** One daemon's gap and how many of the tweets it missed the other server delivered. */
export interface RecoveredGap {
  server: string;
  other: string;
  startMs: number;
  endMs: number;
  recovered: number;
}

/** Slack around a gap: a tweet in flight when the connection broke is received a little before or after. */
const SLACK_MS = 3_000;

/**
 * Pure: for each gap of `server`, the tweets that `other` received during the gap (with slack) and `server`
 * never received at all: what the redundant server recovered (DESIGN 11's demo summary).
 */
export function recoveredGaps(
  server: string,
  gaps: readonly ConnectionGap[],
  own: Receipts,
  other: string,
  theirs: Receipts,
): RecoveredGap[] {
  return gaps.map((gap) => {
    const startMs = Date.parse(gap.start);
    const endMs = Date.parse(gap.end);
    let recovered = 0;
    for (const [id, receivedMs] of theirs) {
      if (receivedMs >= startMs - SLACK_MS && receivedMs <= endMs + SLACK_MS && !own.has(id)) recovered += 1;
    }
    return { server, other, startMs, endMs, recovered };
  });
}

function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** `server1 gap HH:MM:SS-HH:MM:SS recovered by server2: N tweets` (UTC). */
export function formatRecoveredGap(gap: RecoveredGap): string {
  return `${gap.server} gap ${clockTime(gap.startMs)}-${clockTime(gap.endMs)} recovered by ${gap.other}: ${gap.recovered} tweets`;
}
