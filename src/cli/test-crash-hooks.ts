import type { CrashPoint } from '../hourly/crash-point.js';

/** The environment variable naming the step at which a test wants the process killed (SIGKILL). */
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
  const crashAt = env[CRASH_AT_ENV];
  const enospcAt = env[ENOSPC_AT_ENV];
  if (crashAt === undefined && enospcAt === undefined) return undefined;
  return (step) => {
    if (crashAt === step) process.kill(process.pid, 'SIGKILL');
    if (enospcAt === step) {
      throw Object.assign(new Error(`ENOSPC: no space left on device, write (injected at ${step})`), { code: 'ENOSPC' });
    }
  };
}
