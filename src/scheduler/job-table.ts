import type { Settings } from '../config/index.js';
import { MINUTE_MS } from '../platform/time.js';

/** The periodic jobs (DESIGN 2): each is a run of this same CLI. */
export type JobName = 'sync' | 'hourly' | 'report' | 'watch';

/** One scheduled job: when, in which zone, for how long at most, and the child process to start. */
export interface Job {
  name: JobName;
  /** node-cron expression. */
  cron: string;
  timezone: string;
  /** After this the child gets SIGTERM, then SIGKILL. */
  timeoutMs: number;
  /** The executable (node) and its arguments. */
  command: string;
  args: string[];
}

/** Longest run allowed per job; a run past it is stuck (hourly stays below the hour so runs never pile up). */
export const JOB_TIMEOUT_MS: Readonly<Record<JobName, number>> = {
  sync: 10 * MINUTE_MS,
  hourly: 55 * MINUTE_MS,
  report: 10 * MINUTE_MS,
  watch: 2 * MINUTE_MS,
};

/** How to start this CLI again: the node binary, its flags and entry script, and the settings file. */
export interface SelfCommand {
  execPath: string;
  /** Node flags (e.g. `--import tsx` from source) followed by the entry script. */
  entryArgs: string[];
  /** Absolute settings path, passed on as `--config`. */
  configPath: string;
}

/** `HH:MM` -> a daily cron expression at that minute. */
export function dailyCron(time: string): string {
  const [hours, minutes] = time.split(':').map((part) => Number.parseInt(part, 10));
  return `${minutes} ${hours} * * *`;
}

/**
 * The jobs of this server's role (DESIGN 2, 8, 9): server 2 runs `sync` and `watch`; server 1 runs `hourly`,
 * `watch`, and `report` daily at `email.report_time` in `output_timezone` when email is enabled. The other
 * jobs run on UTC, where no minute repeats or goes missing.
 */
export function jobTable(settings: Settings, self: SelfCommand): Job[] {
  const job = (name: JobName, cron: string, timezone = 'UTC'): Job => ({
    name,
    cron,
    timezone,
    timeoutMs: JOB_TIMEOUT_MS[name],
    command: self.execPath,
    args: [...self.entryArgs, name, '--config', self.configPath],
  });
  const { schedule } = settings;
  if (settings.server === 'server2') return [job('sync', schedule.sync), job('watch', schedule.watch)];
  const jobs = [job('hourly', schedule.hourly)];
  if (settings.email.enabled) {
    jobs.push(job('report', dailyCron(settings.email.report_time), settings.hourly.output_timezone));
  }
  jobs.push(job('watch', schedule.watch));
  return jobs;
}
