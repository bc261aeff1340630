export type { UploadRequest, OsfAlert, DrainResult, OutboxEntry, OutboxStatus } from './outbox-types.js';
export { enqueueUploads, drainOutbox, readOutboxStatus, openAlerts, type DrainDeps } from './outbox.js';
export { osfRemotePath } from './remote-path.js';
export { verifyVault, formatProblem, type VerifyDeps, type VerifyReport } from './verify-vault.js';
export type { VerifyProblem } from './verify-day.js';
export { queueForOsf, type OsfPublication } from './publish-hook.js';
