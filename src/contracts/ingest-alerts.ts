import { z } from 'zod';
import type { Logger } from '../platform/logger.js';
import { ingestAlertsPath } from './staging-layout.js';
import { readStateFile, writeStateFile, type StateFileFormat, type StateFileRepair } from './state-file.js';

/** What ingest (or a state file reader) found that someone must look at (DESIGN 5, 6). */
const INGEST_ALERT_KINDS = [
  'sha256-mismatch',
  'foreign-file',
  'late-arrival',
  /** A dot name or `.part` file left in a server's spool for more than an hour: alerted once. */
  'lingering-file',
  /** Something in the spool outside the server folders: reported once, never moved. */
  'outside-server-folder',
  /** A truncated or garbage state file, moved aside to `path`. */
  'corrupt-state-file',
  /** A stale `hourly.lock` (dead holder, reused pid, earlier boot, unreadable) that this run took over. */
  'stale-lock',
  /** `hourly` left an hour unpublished or unamended: too little free space on `path`; once per shortage (publish-space.json). */
  'publish-no-space',
  /** Malformed, invalid or over-long lines of one receipt hour, kept under `<state>/quarantine/rejected/`. */
  'rejected-lines',
  /** Tweets whose created_at is far from their receipt, kept under `<state>/quarantine/skewed/`. */
  'skewed-created-at',
] as const;

export type IngestAlertKind = (typeof INGEST_ALERT_KINDS)[number];

const ingestAlertSchema = z.object({
  at: z.string(),
  kind: z.enum(INGEST_ALERT_KINDS),
  server: z.string(),
  /** Where the file now is (quarantine), went (late), or still is (reported only). */
  path: z.string(),
  /** UTC hour key, for late arrivals. */
  hour: z.string().optional(),
  /** Lines concerned (late arrivals, rejected lines, skewed tweets). */
  lines: z.number().int().min(0).optional(),
  detail: z.string(),
});

/** One event. */
export type IngestAlert = z.output<typeof ingestAlertSchema>;

const ingestAlertsSchema = z.object({
  format_version: z.literal(1),
  updated_at: z.string(),
  events: z.array(ingestAlertSchema),
});

/** `<state>/ingest-alerts.json`: the newest events, oldest first, for `watch` and the daily report. */
export type IngestAlerts = z.output<typeof ingestAlertsSchema>;

const INGEST_ALERTS_FORMAT: StateFileFormat<IngestAlerts> = { name: 'ingest-alerts.json', version: 1, schema: ingestAlertsSchema };

/** How many events the file keeps. */
export const MAX_INGEST_ALERTS = 1000;

function noAlerts(): IngestAlerts {
  return { format_version: 1, updated_at: new Date(0).toISOString(), events: [] };
}

/** Reads the ingest alerts; an empty list when there are none (a corrupt file is an error naming it). */
export async function readIngestAlerts(stateDir: string): Promise<IngestAlerts> {
  return (await readStateFile(ingestAlertsPath(stateDir), INGEST_ALERTS_FORMAT)) ?? noAlerts();
}

/**
 * Appends `events`, and of `once` those not recorded yet for the same kind and path (alerts that fire once per
 * file), keeping the newest MAX_INGEST_ALERTS; returns the `once` events added. A corrupt file is set aside, even
 * with nothing to append: `hourly` calls this every run, so `watch` and the daily report never read it broken for long.
 */
export async function appendIngestAlerts(
  stateDir: string,
  events: readonly IngestAlert[],
  nowMs: number,
  once: readonly IngestAlert[] = [],
): Promise<IngestAlert[]> {
  const path = ingestAlertsPath(stateDir);
  // Setting a corrupt file aside appends its own alert to a fresh file: add to that one, never overwrite it.
  const alerts =
    (await readStateFile(path, INGEST_ALERTS_FORMAT, stateFileRepair(stateDir, nowMs))) ?? (await readStateFile(path, INGEST_ALERTS_FORMAT)) ?? noAlerts();
  const seen = new Set(alerts.events.map(onceKey));
  const fresh = once.filter((event) => !seen.has(onceKey(event)));
  if (events.length === 0 && fresh.length === 0) return [];
  alerts.events = [...alerts.events, ...events, ...fresh].slice(-MAX_INGEST_ALERTS);
  alerts.updated_at = new Date(nowMs).toISOString();
  await writeStateFile(path, INGEST_ALERTS_FORMAT, alerts);
  return fresh;
}

function onceKey(event: IngestAlert): string {
  return `${event.kind}\0${event.path}`;
}

/**
 * The repair of a state file owned by a process whose state folder is `stateDir`: the corrupt file is moved
 * aside, logged, and recorded as a `corrupt-state-file` ingest alert, which `watch` mails as bad input.
 */
export function stateFileRepair(stateDir: string, nowMs: number, log?: Logger, server = ''): StateFileRepair {
  return {
    nowMs,
    async onSetAside({ path, movedTo, reason }) {
      log?.error({ file: path, movedTo, reason }, 'corrupt state file moved aside, starting from an empty state');
      const detail = `${path} was ${reason}; moved aside, the next run rebuilds it from the spool and vault`;
      await appendIngestAlerts(stateDir, [{ at: new Date(nowMs).toISOString(), kind: 'corrupt-state-file', server, path: movedTo, detail }], nowMs);
    },
  };
}
