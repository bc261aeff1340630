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

function outboxQueue(settings: Settings, clock: Clock): ((requests: readonly UploadRequest[]) => Promise<void>) | undefined {
  if (!settings.osf.enabled) return undefined;
  return (requests) => enqueueUploads(settings.paths.state, requests, clock.now());
}

/**
 * The hook `hourly` calls after an hour's files are durable: queue its IDs file, the day report and the
 * day's SHA256SUMS. Undefined when OSF is disabled, so nothing piles up in an outbox no one drains.
 */
export function queueForOsf(settings: Settings, clock: Clock): ((files: OsfPublication) => Promise<void>) | undefined {
  const queue = outboxQueue(settings, clock);
  return queue && ((files) => queue([files.ids, files.report, files.sums]));
}

/** The hook `hourly` calls after its raw archive prune rewrote a day's SHA256SUMS: queue it, as an amendment does. */
export function queueSumsForOsf(settings: Settings, clock: Clock): ((sums: UploadRequest) => Promise<void>) | undefined {
  const queue = outboxQueue(settings, clock);
  return queue && ((sums) => queue([sums]));
}
