import type { Fault, FaultKind } from './parse-faults.js';

/** Faults that happen once to a connection: at their time, or when a connection opens inside their window. */
export type EventFaultKind = 'drop' | 'opdisconnect' | 'truncate' | 'malformed';
/** Faults that hold a connection in a state for their duration. */
export type WindowFaultKind = 'stall' | 'split-utf8';
/** Faults that answer connection attempts. */
export type AttemptFaultKind = '503' | '429';

/** What the schedule needs to know about one accepted connection. */
export interface FaultTarget {
  /** 1-based, in accept order. */
  number: number;
  connectedAtMs: number;
  /** Indexes of event faults already applied to it. */
  fired: Set<number>;
}

interface ScheduledFault {
  kind: FaultKind;
  startMs: number;
  endMs: number;
  connection: number | undefined;
}

const EVENT_KINDS: readonly FaultKind[] = ['drop', 'opdisconnect', 'truncate', 'malformed'];
const WINDOW_KINDS: readonly FaultKind[] = ['stall', 'split-utf8'];

/**
 * When each fault applies (DESIGN 11), in emulator-clock ms from start. Pure bookkeeping: the connection loop
 * asks it what to do now and when something next changes, so a fake clock drives every fault.
 */
export class FaultSchedule {
  readonly #startMs: number;
  readonly #faults: ScheduledFault[] = [];
  /** Attempt faults without a duration answer one attempt; these are used up. */
  readonly #usedAttemptFaults = new Set<number>();

  constructor(startMs: number, faults: readonly Fault[] = []) {
    this.#startMs = startMs;
    for (const fault of faults) this.add(fault);
  }

  /** Adds a fault; `atS` counts from the emulator's start. */
  add(fault: Fault): void {
    const startMs = this.#startMs + fault.atS * 1000;
    const endMs = startMs + fault.durationS * 1000;
    this.#faults.push({ kind: fault.kind, startMs, endMs, connection: fault.connection });
  }

  /** Seconds since start at `nowMs` (for faults injected "now"). */
  secondsSinceStart(nowMs: number): number {
    return (nowMs - this.#startMs) / 1000;
  }

  /** The 503 or 429 answer for an attempt that would become connection `number`, with the fault's end. */
  attemptFault(number: number, nowMs: number): { kind: AttemptFaultKind; endMs: number } | null {
    for (const [index, fault] of this.#faults.entries()) {
      if ((fault.kind !== '503' && fault.kind !== '429') || !matches(fault, number) || nowMs < fault.startMs) continue;
      if (fault.endMs > fault.startMs) {
        if (nowMs < fault.endMs) return { kind: fault.kind, endMs: fault.endMs };
      } else if (!this.#usedAttemptFaults.has(index)) {
        this.#usedAttemptFaults.add(index);
        return { kind: fault.kind, endMs: fault.endMs };
      }
    }
    return null;
  }

  /** The next event fault due on `target` at `nowMs`, marked as applied; null if none. */
  takeDueEvent(target: FaultTarget, nowMs: number): EventFaultKind | null {
    for (const [index, fault] of this.#faults.entries()) {
      if (!EVENT_KINDS.includes(fault.kind) || target.fired.has(index) || !matches(fault, target.number)) continue;
      if (fault.startMs <= nowMs && target.connectedAtMs <= fault.endMs) {
        target.fired.add(index);
        return fault.kind as EventFaultKind;
      }
    }
    return null;
  }

  /** Whether a window fault of `kind` holds connection `number` at `nowMs`. */
  isActive(kind: WindowFaultKind, number: number, nowMs: number): boolean {
    return this.#faults.some(
      (fault) => fault.kind === kind && matches(fault, number) && fault.startMs <= nowMs && nowMs < fault.endMs,
    );
  }

  /**
   * When the schedule next matters for `target`: an event fault's start (now or earlier if it is due but not yet
   * applied), or a window fault's start or end. Infinity if nothing is pending.
   */
  nextChangeMs(target: FaultTarget, nowMs: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const [index, fault] of this.#faults.entries()) {
      if (!matches(fault, target.number)) continue;
      if (EVENT_KINDS.includes(fault.kind)) {
        if (!target.fired.has(index) && target.connectedAtMs <= fault.endMs) next = Math.min(next, fault.startMs);
      } else if (WINDOW_KINDS.includes(fault.kind)) {
        if (fault.startMs > nowMs) next = Math.min(next, fault.startMs);
        else if (nowMs < fault.endMs) next = Math.min(next, fault.endMs);
      }
    }
    return next;
  }
}

function matches(fault: ScheduledFault, number: number): boolean {
  return fault.connection === undefined || fault.connection === number;
}
