import type { CrashPoint } from '../hourly/crash-point.js';

/**
 * The environment variable naming the step at which a test wants the process killed (SIGKILL): `step`, or
 * `step#N` for the N-th time the run reaches that step (1-based), so a test can kill at every occurrence.
 */
export const CRASH_AT_ENV = 'SAMPLED_STREAM_TEST_CRASH_AT';
/** The environment variable naming the step at which a test wants a full disk (ENOSPC) where it cannot mount one. */
export const ENOSPC_AT_ENV = 'SAMPLED_STREAM_TEST_ENOSPC_AT';

/**
 * Test hooks at named steps, or undefined when neither variable is set (always, outside tests): the kill -9
 * recovery tests stop a real run at a step (SAMPLED_STREAM_TEST_CRASH_AT) and check that the next run produces
 * the same files; the full-disk test fails a write at a step when it cannot mount a small tmpfs
 * (SAMPLED_STREAM_TEST_ENOSPC_AT). Only the CLI's composition root wires this; dependency-cruiser keeps it so.
 */
export function crashPointFromEnv(env: NodeJS.ProcessEnv): CrashPoint | undefined {
  const crashAt = env[CRASH_AT_ENV] === undefined ? undefined : parseCrashTarget(env[CRASH_AT_ENV]);
  const enospcAt = env[ENOSPC_AT_ENV];
  if (crashAt === undefined && enospcAt === undefined) return undefined;
  let reached = 0;
  return (step) => {
    if (crashAt?.step === step && ++reached === crashAt.occurrence) process.kill(process.pid, 'SIGKILL');
    if (enospcAt === step) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, write (injected at ${step})`), { code: 'ENOSPC' });
    }
  };
}

/** Pure: `step` or `step#N` as the step and which of its occurrences (1-based) to kill at. */
export function parseCrashTarget(value: string): { step: string; occurrence: number } {
  const match = /^(.+?)(?:#([1-9]\d*))?$/.exec(value);
  if (match === null) throw new Error(`${CRASH_AT_ENV} must be "step" or "step#N" (N >= 1), got "${value}"`);
  return { step: match[1]!, occurrence: match[2] === undefined ? 1 : Number(match[2]) };
}
