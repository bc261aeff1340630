export { runHourly, type HourlyDeps, type HourlyOptions, type HourlyResult } from './run-hourly.js';
export { HourClosedError, type PublishedFile, type PublishedFiles, type PublishKind, type PublishOutcome } from './publish.js';
export type { IngestResult } from './ingest.js';
export { readManifest, listManifestHours, type HourManifest } from './hour-manifest.js';
export { readIngestAlerts, type IngestAlert, type IngestAlerts } from './ingest-alerts.js';
export { isHourReady, readyHours, type ReadinessInput, type ServerProgress } from './readiness.js';
export { hourKey, hourLabel, hoursOfLabelDay, parseHourKey, type HourLabel } from './hour-label.js';
export { vaultNames, type VaultNames } from './day-files.js';
