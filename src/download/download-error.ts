/** OSF could not be listed at all (refused, no such project, no answer): nothing can be downloaded. */
export class DownloadError extends Error {
  override name = 'DownloadError';
}
