import { writeJsonAtomic } from '../platform/atomic-write.js';
import { readJsonIfExists } from '../platform/optional-files.js';
import { ingestAlertsPath } from './staging-layout.js';

/** What ingest found that someone must look at (DESIGN 5, 6). */
export type IngestAlertKind = 'sha256-mismatch' | 'foreign-file' | 'late-arrival';

/** One event; `path` is where the file now is (quarantine) or went (late). */
export interface IngestAlert {
  at: string;
  kind: IngestAlertKind;
  server: string;
  path: string;
  /** UTC hour key, for late arrivals. */
  hour?: string;
  /** Lines concerned (late arrivals). */
  lines?: number;
  detail: string;
}

/** `<state>/ingest-alerts.json`: the newest events, oldest first, for `watch` and the daily report. */
export interface IngestAlerts {
  format_version: 1;
  updated_at: string;
  events: IngestAlert[];
}

/** How many events the file keeps. */
export const MAX_INGEST_ALERTS = 1000;

/** Reads the ingest alerts; an empty list when there are none. */
export async function readIngestAlerts(stateDir: string): Promise<IngestAlerts> {
  const alerts = await readJsonIfExists<IngestAlerts>(ingestAlertsPath(stateDir));
  return alerts ?? { format_version: 1, updated_at: new Date(0).toISOString(), events: [] };
}

/** Appends events (keeping the newest MAX_INGEST_ALERTS). */
export async function appendIngestAlerts(stateDir: string, events: readonly IngestAlert[], nowMs: number): Promise<void> {
  if (events.length === 0) return;
  const alerts = await readIngestAlerts(stateDir);
  alerts.events = [...alerts.events, ...events].slice(-MAX_INGEST_ALERTS);
  alerts.updated_at = new Date(nowMs).toISOString();
  await writeJsonAtomic(ingestAlertsPath(stateDir), alerts);
}
