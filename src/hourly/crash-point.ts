/** The environment variable naming the step at which a test wants the process killed (SIGKILL). */
export const CRASH_AT_ENV = 'SAMPLED_STREAM_TEST_CRASH_AT';
/** The environment variable naming the step at which a test wants a full disk (ENOSPC) where it cannot mount one. */
export const ENOSPC_AT_ENV = 'SAMPLED_STREAM_TEST_ENOSPC_AT';

/**
 * Test hooks at named steps: the kill -9 recovery tests stop a real run there (SAMPLED_STREAM_TEST_CRASH_AT)
 * and check that the next run produces the same files; the full-disk test fails a write there when it cannot
 * mount a small tmpfs (SAMPLED_STREAM_TEST_ENOSPC_AT). Neither variable is ever set outside tests.
 */
export function crashPoint(step: string): void {
  if (process.env[CRASH_AT_ENV] === step) process.kill(process.pid, 'SIGKILL');
  if (process.env[ENOSPC_AT_ENV] === step) {
    throw Object.assign(new Error(`ENOSPC: no space left on device, write (injected at ${step})`), { code: 'ENOSPC' });
  }
}
