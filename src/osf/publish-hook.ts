import type { Settings } from '../config/index.js';
import type { Clock } from '../platform/clock.js';
import { enqueueUploads } from './outbox.js';
import type { UploadRequest } from './outbox-types.js';

/** The files of one publication that go to OSF (DESIGN 7). */
export interface OsfPublication {
  ids: UploadRequest;
  report: UploadRequest;
  sums: UploadRequest;
}

/**
 * The hook `hourly` calls after an hour's files are durable: queue its IDs file, the day report and the
 * day's SHA256SUMS. Undefined when OSF is disabled, so nothing piles up in an outbox no one drains.
 */
export function queueForOsf(settings: Settings, clock: Clock): ((files: OsfPublication) => Promise<void>) | undefined {
  if (!settings.osf.enabled) return undefined;
  return (files) => enqueueUploads(settings.paths.state, [files.ids, files.report, files.sums], clock.now());
}
