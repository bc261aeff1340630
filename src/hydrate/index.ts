export {
  checkpointPathFor,
  hydrateIds,
  missingPathFor,
  type HydrateDeps,
  type HydrateOptions,
  type HydrateProgress,
  type HydrateSummary,
} from './hydrate-ids.js';
export { CheckpointMismatchError } from './checkpoint.js';
export { IdFileError, readIdFile } from './id-files.js';
export { progressLine, summaryLines } from './progress-line.js';
