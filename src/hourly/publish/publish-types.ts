import type { Settings } from '../../config/index.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { HourManifest } from '../../contracts/hour-manifest.js';
import type { CrashPoint } from '../crash-point.js';

// The types publishing shares with its helpers (hour-version, late replay, run-hourly); kept apart from
// publish.ts so those helpers do not import the module that imports them.

/** A published file: where it is, and where it goes on OSF (`YYYY/MM/DD/<name>`, the label date). */
export interface PublishedFile {
  localPath: string;
  remotePath: string;
}

/** What `onPublished` receives once an hour's files are durable (DESIGN 7: IDs file, day report, SHA256SUMS). */
export interface PublishedFiles {
  hour: string;
  label: string;
  version: number;
  ids: PublishedFile;
  report: PublishedFile;
  sums: PublishedFile;
}

/** What publishing needs. */
export interface PublishDeps {
  settings: Settings;
  clock: Clock;
  log: Logger;
  /** Called after an hour's files are durable and before its manifest commits it (so at least once). */
  onPublished?: (files: PublishedFiles) => Promise<void>;
  /** Test hook at named steps (kill -9 and full-disk tests); none in production. */
  crashPoint?: CrashPoint;
}

/**
 * What a publication did: `published` (first version), `amended` (files changed, version + 1), `rebuilt` (files
 * rewritten, same content), `refreshed` (same IDs, only the report line changed), `unchanged` (nothing to do).
 */
export type PublishKind = 'published' | 'amended' | 'rebuilt' | 'refreshed' | 'unchanged';

/** The outcome of publishing one hour. */
export interface PublishOutcome {
  hour: string;
  label: string;
  kind: PublishKind;
  manifest: HourManifest;
}
