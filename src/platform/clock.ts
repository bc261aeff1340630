/** Time source injected everywhere: epoch milliseconds and cancellable sleeps. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('Sleep aborted');
}

/** The wall clock and real timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

/** A clock that always reads `fixedMs` (`--now`), with real sleeps. */
export function fixedClock(fixedMs: number): Clock {
  return { now: () => fixedMs, sleep: systemClock.sleep };
}

/** A clock offset from the wall clock by `offsetMs` (the demo's shifted time). */
export function offsetClock(offsetMs: number): Clock {
  return { now: () => Date.now() + offsetMs, sleep: systemClock.sleep };
}

/** Where an accelerated clock starts: at wall time `realMs` it reads `startMs`, and runs `speed` times faster. */
export interface ClockOrigin {
  realMs: number;
  startMs: number;
  speed: number;
}

/** A clock running `speed` times faster than the wall clock (the soak's hours in minutes); sleeps shrink to match. */
export function acceleratedClock(origin: ClockOrigin): Clock {
  const { realMs, startMs, speed } = origin;
  return {
    now: () => startMs + Math.floor((Date.now() - realMs) * speed),
    sleep: (ms, signal) => systemClock.sleep(ms / speed, signal),
  };
}
