import cron, { type Logger as CronLogger } from 'node-cron';
import type { Logger } from '../platform/logger.js';
import type { Job } from './job-table.js';
import { runJob, type JobOutcome } from './run-job.js';

/** The jobs to run and where to log. */
export interface SchedulerOptions {
  jobs: readonly Job[];
  log: Logger;
  /** Time a child gets between SIGTERM and SIGKILL. @default 20000 */
  killGraceMs?: number;
  /** Called after every finished run (metrics). */
  onOutcome?: (outcome: JobOutcome) => void;
}

/** A started scheduler. */
export interface Scheduler {
  /** Stops scheduling, sends SIGTERM to running children (SIGKILL after the grace time) and waits for them. */
  stop(): Promise<void>;
}

function cronLogger(log: Logger): CronLogger {
  return {
    info: (message) => log.info(message),
    warn: (message) => log.warn(message),
    error: (message, err) => log.error({ err: err ?? message }, String(message)),
    debug: (message) => log.debug(String(message)),
  };
}

/**
 * Runs each job on its cron schedule (DESIGN 2) with node-cron; a job still running when its next turn comes
 * is skipped (`noOverlap`), not started twice.
 */
export function startScheduler(options: SchedulerOptions): Scheduler {
  const { jobs, log, killGraceMs = 20_000, onOutcome } = options;
  const stopping = new AbortController();
  const running = new Set<Promise<JobOutcome>>();
  const tasks = jobs.map((job) => {
    const task = cron.schedule(
      job.cron,
      () => {
        const run = runJob(job, { log, killGraceMs, signal: stopping.signal });
        if (onOutcome) void run.then(onOutcome);
        running.add(run);
        return run.finally(() => running.delete(run));
      },
      { name: job.name, timezone: job.timezone, noOverlap: true, logger: cronLogger(log) },
    );
    task.on('execution:overlap', () => log.warn({ job: job.name }, 'job still running, turn skipped'));
    return task;
  });
  log.info({ jobs: jobs.map(({ name, cron: expression, timezone, timeoutMs }) => ({ name, cron: expression, timezone, timeoutMs })) }, 'scheduler started');
  return {
    async stop() {
      for (const task of tasks) await task.destroy();
      stopping.abort();
      await Promise.all(running);
      log.info('scheduler stopped');
    },
  };
}
