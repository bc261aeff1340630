import { spawn } from 'node:child_process';
import type { Logger } from '../platform/logger.js';
import type { Job, JobName } from './job-table.js';

/** How a job run ended. */
export type JobResult = 'ok' | 'failed' | 'timed-out' | 'stopped';

/** One finished run of a job, as logged. */
export interface JobOutcome {
  job: JobName;
  result: JobResult;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
}

/** How runJob() logs and stops a child. */
export interface RunJobOptions {
  log: Logger;
  /** Time between SIGTERM and SIGKILL for a child past its timeout or stopped. */
  killGraceMs: number;
  /** Aborted when the scheduler stops: the child gets SIGTERM (then SIGKILL). */
  signal?: AbortSignal;
}

/**
 * Runs one job as a child process with its own timeout (SIGTERM, then SIGKILL after `killGraceMs`), logging
 * start and end as JSON. The child's own JSON logs go straight to our stdout and stderr (journald).
 */
export function runJob(job: Job, options: RunJobOptions): Promise<JobOutcome> {
  const { log, killGraceMs, signal } = options;
  const startedMs = Date.now();
  return new Promise((resolve) => {
    let ending: 'timed-out' | 'stopped' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const child = spawn(job.command, job.args, { stdio: ['ignore', 'inherit', 'inherit'] });
    log.info({ job: job.name, pid: child.pid }, 'job started');
    const terminate = (why: 'timed-out' | 'stopped') => {
      if (ending !== undefined || child.exitCode !== null) return;
      ending = why;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), killGraceMs);
    };
    const timeout = setTimeout(() => terminate('timed-out'), job.timeoutMs);
    const onAbort = () => terminate('stopped');
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    let finished = false;
    const finish = (exitCode: number | null, exitSignal: NodeJS.Signals | null, err?: Error) => {
      // A child that cannot be started emits 'error', possibly followed by 'exit'.
      if (finished) return;
      finished = true;
      clearTimeout(timeout);
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      const result: JobResult = ending ?? (exitCode === 0 ? 'ok' : 'failed');
      const outcome: JobOutcome = { job: job.name, result, exitCode, signal: exitSignal, durationMs: Date.now() - startedMs };
      const fields = { ...outcome, ...(err ? { err } : {}) };
      if (result === 'ok') log.info(fields, 'job finished');
      else if (result === 'stopped') log.warn(fields, 'job stopped');
      else log.error(fields, 'job failed');
      resolve(outcome);
    };
    child.once('error', (err) => finish(null, null, err));
    child.once('exit', (code, exitSignal) => finish(code, exitSignal));
  });
}
