import { Counter, Gauge, Registry } from 'prom-client';
import type { SyncState } from '../contracts/sync-state.js';

/** What the metrics need of a finished job run (the scheduler's JobOutcome has this shape; metrics import no stage). */
export interface JobRun {
  job: string;
  result: string;
  durationMs: number;
}

/** Scheduler metrics: job outcomes and durations (hourly = publish duration), and the sync backlog. */
export interface SchedulerMetrics {
  registry: Registry;
  record(outcome: JobRun, nowMs: number): void;
}

/** `readSync` returns server 2's sync state (its local copy on server 2, the pushed one on server 1). */
export function schedulerMetrics(readSync: () => Promise<SyncState | null>): SchedulerMetrics {
  const registry = new Registry();
  const runs = new Counter({ name: 'sampled_stream_job_runs_total', help: 'Finished job runs by result', labelNames: ['job', 'result'], registers: [registry] });
  const duration = new Gauge({ name: 'sampled_stream_job_last_duration_seconds', help: 'Duration of the last run of each job', labelNames: ['job'], registers: [registry] });
  const lastOk = new Gauge({ name: 'sampled_stream_job_last_success_timestamp_seconds', help: 'End of the last successful run', labelNames: ['job'], registers: [registry] });
  const backlog = (name: string, help: string, pick: (s: SyncState) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const state = await readSync().catch(() => null);
        if (state) this.set(pick(state));
      },
    });
  backlog('sampled_stream_sync_backlog_files', 'Closed spool files of server 2 not yet on server 1', (s) => s.backlog.files);
  backlog('sampled_stream_sync_backlog_bytes', 'Bytes of the sync backlog', (s) => s.backlog.bytes);
  return {
    registry,
    record(outcome, nowMs) {
      runs.inc({ job: outcome.job, result: outcome.result });
      duration.set({ job: outcome.job }, outcome.durationMs / 1000);
      if (outcome.result === 'ok') lastOk.set({ job: outcome.job }, nowMs / 1000);
    },
  };
}
