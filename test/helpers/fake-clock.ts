import type { Clock } from '../../src/platform/clock.js';

interface Sleeper {
  wakeAtMs: number;
  resolve: () => void;
}

/** Manual clock for tests: time moves only through advance(), which wakes due sleepers in order. */
export class FakeClock implements Clock {
  #nowMs: number;
  #sleepers: Sleeper[] = [];

  constructor(start: number | string) {
    this.#nowMs = typeof start === 'string' ? Date.parse(start) : start;
  }

  now(): number {
    return this.#nowMs;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new Error('Sleep aborted'));
      const sleeper: Sleeper = { wakeAtMs: this.#nowMs + Math.max(0, ms), resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
          reject(new Error('Sleep aborted'));
        },
        { once: true },
      );
    });
  }

  /** Pending sleeps, for assertions on backoff delays. */
  get pendingSleeps(): number[] {
    return this.#sleepers.map((s) => s.wakeAtMs - this.#nowMs);
  }

  /** Moves time forward by `ms`, waking every sleeper that falls due, and lets their continuations run. */
  async advance(ms: number): Promise<void> {
    const target = this.#nowMs + ms;
    for (;;) {
      const due = this.#sleepers
        .filter((s) => s.wakeAtMs <= target)
        .sort((a, b) => a.wakeAtMs - b.wakeAtMs)[0];
      if (!due) break;
      this.#sleepers = this.#sleepers.filter((s) => s !== due);
      this.#nowMs = Math.max(this.#nowMs, due.wakeAtMs);
      due.resolve();
      await flushMicrotasks();
    }
    this.#nowMs = target;
    await flushMicrotasks();
  }

  set(iso: string | number): void {
    this.#nowMs = typeof iso === 'string' ? Date.parse(iso) : iso;
  }
}

/** Lets pending promise continuations (and one macrotask turn) run. */
export async function flushMicrotasks(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}
