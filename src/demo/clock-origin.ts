import type { ClockOrigin } from '../platform/clock.js';

/** The soak's shared clock origin on a command line: `REAL_MS,START_MS,SPEED`. */
export function formatOrigin(origin: ClockOrigin): string {
  return `${origin.realMs},${origin.startMs},${origin.speed}`;
}

/** Parses formatOrigin()'s text; a clear error otherwise. */
export function parseOrigin(text: string | undefined): ClockOrigin {
  const [realMs, startMs, speed] = (text ?? '').split(',').map(Number);
  if (![realMs, startMs, speed].every((n) => Number.isFinite(n)) || !(speed! > 0)) {
    throw new Error(`--origin must be REAL_MS,START_MS,SPEED with SPEED > 0: got "${text ?? ''}"`);
  }
  return { realMs: realMs!, startMs: startMs!, speed: speed! };
}
