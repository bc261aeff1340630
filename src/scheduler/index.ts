export { jobTable, dailyCron, JOB_TIMEOUT_MS, type Job, type JobName, type SelfCommand } from './job-table.js';
export { runJob, type JobOutcome, type JobResult, type RunJobOptions } from './run-job.js';
export { startScheduler, type Scheduler, type SchedulerOptions } from './scheduler.js';
