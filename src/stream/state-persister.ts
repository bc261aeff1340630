import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { writeStreamState, type StreamState } from '../contracts/stream-state.js';

/** What StatePersister needs. */
export interface StatePersisterDeps {
  clock: Clock;
  log: Logger;
  stateDir: string;
  /** The state to write, taken fresh at each write. */
  snapshot: () => StreamState;
  /** Regular rewrite interval. @default 5000 */
  intervalMs?: number;
}

/**
 * Keeps `<state>/stream.json` current (DESIGN 3.2): rewritten every few seconds and soon after a change,
 * one write at a time; requests made during a write are folded into one more write.
 */
export class StatePersister {
  readonly #deps: StatePersisterDeps;
  #writing: Promise<void> | null = null;
  #again = false;

  constructor(deps: StatePersisterDeps) {
    this.#deps = deps;
  }

  /** Asks for a write soon; never waits. */
  request(): void {
    if (this.#writing) {
      this.#again = true;
      return;
    }
    this.#writing = this.#drain();
  }

  /** Writes the current state and waits until it is on disk. */
  async flush(): Promise<void> {
    this.request();
    await this.#writing;
  }

  /** Rewrites the state every interval until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock, intervalMs = 5000 } = this.#deps;
    while (!signal.aborted) {
      try {
        await clock.sleep(intervalMs, signal);
      } catch {
        return;
      }
      this.request();
    }
  }

  async #drain(): Promise<void> {
    do {
      this.#again = false;
      try {
        await writeStreamState(this.#deps.stateDir, this.#deps.snapshot());
      } catch (err) {
        this.#deps.log.error({ err }, 'cannot write stream.json');
      }
    } while (this.#again);
    this.#writing = null;
  }
}
