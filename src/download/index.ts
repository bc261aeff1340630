export { downloadHours, DownloadError, type DownloadOptions, type DownloadDeps } from './download-hours.js';
export { barProgress, lineProgress, silentProgress, type DownloadProgress } from './progress.js';
export { formatSummary, type DownloadSummary, type FileResult, type FileStatus } from './summary.js';
