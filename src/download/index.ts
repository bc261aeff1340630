export { downloadHours, type DownloadOptions, type DownloadDeps } from './download-hours.js';
export { DownloadError } from './download-error.js';
export { barProgress, lineProgress, silentProgress, type DownloadProgress } from './progress.js';
export { formatSummary, isOnDisk, type DownloadSummary, type FileResult, type FileStatus } from './summary.js';
