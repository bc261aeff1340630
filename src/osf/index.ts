export type { UploadRequest, OsfAlert, DrainResult, OutboxEntry, OutboxStatus } from './outbox-types.js';
export { enqueueUploads, drainOutbox, readOutboxStatus, openAlerts, type DrainDeps } from './outbox.js';
export { osfRemotePath } from './remote-path.js';
export { openOsfConnection, type OsfConnection } from './osf-connection.js';
export { queueForOsf, queueSumsForOsf, type OsfPublication } from './publish-hook.js';
export { OsfDayFolders } from './day-folders.js';
export { WaterButler, type WaterButlerDownload } from './waterbutler.js';
export { OsfRequestError } from './osf-request-error.js';
export type { OsfEntity } from './waterbutler-entity.js';
