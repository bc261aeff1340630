import type { LedgerEntry } from '../emulator/send-ledger.js';
import { MINUTE_MS } from '../platform/time.js';

/** The soak's verdict from the emulator's ledger, the servers' gap ledgers and the vault (pure, issue 12.4). */

/** A time span in ms (the soak's clock), inclusive. */
export interface Interval {
  startMs: number;
  endMs: number;
}

/** Tweets of the shared sample due in one second of the run. */
export interface SampleSecond {
  startMs: number;
  ids: readonly string[];
}

/** What the soak collected at its end. */
export interface SoakEvidence {
  ledger: readonly LedgerEntry[];
  /** Each server's `stream.json` gaps. */
  gaps: Readonly<Record<string, readonly Interval[]>>;
  /** ID -> every hour key (`YYYY-MM-DDTHH`) whose IDs file lists it. */
  published: ReadonlyMap<string, readonly string[]>;
  /** From both daemons connected to the start of the stop: only tweets sent within it are judged. */
  window: Interval;
  /** The sample, second by second, over the window. */
  sample: readonly SampleSecond[];
  /** created_at hour key of a tweet ID. */
  hourOf: (id: string) => string;
  /** Slack around each gap: a server "connected" at t is outside every gap by more than this. */
  marginMs: number;
}

/** What checkSoak() found; every list empty means the soak passed. */
export interface SoakFindings {
  sent: number;
  /** Sent while at least one server was connected: must be published. */
  required: number;
  published: number;
  /** Required but not published. */
  lost: string[];
  /** Published in more than one hour file. */
  duplicates: string[];
  /** Published in an hour other than its created_at hour. */
  wrongHour: string[];
  /** Published but never written to any connection (corruption). */
  unknown: string[];
  /** Tweets no connection got, and the minutes they fall in. */
  unsent: number;
  unsentMinutes: number;
  /** Starts of seconds with unsent tweets that are not inside a gap of every server. */
  unsentOutsideGaps: number[];
}

function inside(atMs: number, gaps: readonly Interval[], marginMs: number): boolean {
  return gaps.some((gap) => atMs >= gap.startMs - marginMs && atMs <= gap.endMs + marginMs);
}

function overlapsGap(span: Interval, gaps: readonly Interval[], marginMs: number): boolean {
  return gaps.some((gap) => span.startMs <= gap.endMs + marginMs && span.endMs >= gap.startMs - marginMs);
}

/**
 * The soak's checks: every tweet written to a connection while some server was connected (outside its gaps,
 * with slack) is published exactly once, in its created_at hour; every sample tweet that no connection got
 * falls where every server's gap ledger declares a gap.
 */
export function checkSoak(evidence: SoakEvidence): SoakFindings {
  const { ledger, gaps, published, sample, hourOf, marginMs, window } = evidence;
  const servers = Object.values(gaps);
  const sent = new Set<string>();
  const required = new Set<string>();
  for (const entry of ledger) {
    sent.add(entry.id);
    if (entry.sentAtMs < window.startMs || entry.sentAtMs > window.endMs) continue;
    if (servers.some((serverGaps) => !inside(entry.sentAtMs, serverGaps, marginMs))) required.add(entry.id);
  }
  const lost = [...required].filter((id) => !published.has(id));
  const duplicates: string[] = [];
  const wrongHour: string[] = [];
  const unknown: string[] = [];
  for (const [id, hours] of published) {
    if (hours.length > 1) duplicates.push(id);
    if (hours.some((hour) => hour !== hourOf(id))) wrongHour.push(id);
    if (!sent.has(id)) unknown.push(id);
  }
  let unsent = 0;
  const unsentMinutes = new Set<number>();
  const unsentOutsideGaps: number[] = [];
  for (const second of sample) {
    const missing = second.ids.filter((id) => !sent.has(id)).length;
    if (missing === 0) continue;
    unsent += missing;
    unsentMinutes.add(Math.floor(second.startMs / MINUTE_MS));
    const span = { startMs: second.startMs, endMs: second.startMs + 999 };
    if (!servers.every((serverGaps) => overlapsGap(span, serverGaps, marginMs))) unsentOutsideGaps.push(second.startMs);
  }
  return {
    sent: sent.size,
    required: required.size,
    published: published.size,
    lost,
    duplicates,
    wrongHour,
    unknown,
    unsent,
    unsentMinutes: unsentMinutes.size,
    unsentOutsideGaps,
  };
}

/** Each failed check as one line; empty when the soak passed. */
export function failedChecks(findings: SoakFindings): string[] {
  const failures: Array<[number, string]> = [
    [findings.lost.length, 'tweets sent while a server was connected were not published'],
    [findings.duplicates.length, 'tweets were published in more than one hour'],
    [findings.wrongHour.length, 'tweets were published outside their created_at hour'],
    [findings.unknown.length, 'published tweets were never sent'],
    [findings.unsentOutsideGaps.length, 'seconds with unsent tweets are not declared as gaps by both servers'],
  ];
  return failures.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);
}
