import type { StreamState } from '../contracts/index.js';
import type { PublishSpaceShortage, SyncState } from '../contracts/index.js';
import { MINUTE_MS } from '../platform/time.js';
import type { FolderSpace } from '../platform/free-space.js';

/** The alert conditions `watch` evaluates (DESIGN 8). */
export type ConditionName =
  | 'silence'
  | 'auth'
  | 'usage-cap'
  | 'sync-backlog'
  | 'sync-silence'
  | 'disk-low'
  | 'osf-failing'
  | 'clock-skew'
  | 'bad-input';

/** One condition's state now: open (something is wrong) or clear, with the facts in words. */
export interface Observation {
  condition: ConditionName;
  open: boolean;
  detail: string;
}

/** Largest clock difference against the X API that is not alerted (DESIGN 8). */
export const MAX_CLOCK_SKEW_MS = 2_000;

function ageMin(nowMs: number, iso: string): number {
  return Math.floor((nowMs - Date.parse(iso)) / MINUTE_MS);
}

function olderThan(nowMs: number, iso: string | null | undefined, limitMin: number): boolean {
  return iso == null || nowMs - Date.parse(iso) > limitMin * MINUTE_MS;
}

/** Silence: no message for `silenceMin`, or stream.json not rewritten that long (the daemon is down). */
export function silenceObservation(stream: StreamState | null, nowMs: number, silenceMin: number): Observation {
  const condition = 'silence';
  if (stream === null) {
    return { condition, open: true, detail: 'no stream.json: the stream daemon has never run on this server' };
  }
  if (olderThan(nowMs, stream.updated_at, silenceMin)) {
    return {
      condition,
      open: true,
      detail: `stream daemon down: stream.json not updated since ${stream.updated_at} (${ageMin(nowMs, stream.updated_at)} min)`,
    };
  }
  const since = stream.last_message_at ?? stream.started_at;
  if (olderThan(nowMs, since, silenceMin)) {
    const what = stream.last_message_at === null ? `the daemon started at ${since}` : since;
    return {
      condition,
      open: true,
      detail: `no message from the X API since ${what} (${ageMin(nowMs, since)} min); connected: ${stream.connected ? 'yes' : 'no'}`,
    };
  }
  return { condition, open: false, detail: `last message at ${stream.last_message_at}` };
}

/** Authentication: the X API rejected the bearer token (401/403) on the last connect. */
export function authObservation(stream: StreamState | null): Observation {
  const auth = stream?.auth;
  if (auth?.state !== 'rejected') return { condition: 'auth', open: false, detail: 'bearer token accepted' };
  if (auth.status === undefined && auth.detail !== undefined) {
    // No HTTP status: the daemon could not even send a token (the file is missing, empty or malformed).
    return { condition: 'auth', open: true, detail: `the stream daemon cannot use its bearer token: ${auth.detail} (at ${auth.at ?? 'unknown time'})` };
  }
  const status = auth.status === undefined ? '' : ` with HTTP ${auth.status}`;
  const detail = auth.detail === undefined ? '' : `: ${auth.detail}`;
  return {
    condition: 'auth',
    open: true,
    detail: `the X API rejected the bearer token${status}${detail} (at ${auth.at ?? 'unknown time'}); check x_api.bearer_token_file and the app's access`,
  };
}

/** Usage cap: the API reported UsageCapExceeded and no message has arrived since. */
export function usageCapObservation(stream: StreamState | null): Observation {
  const cappedAt = stream?.usage_capped_at ?? null;
  const open =
    cappedAt !== null && (stream?.last_message_at == null || Date.parse(stream.last_message_at) <= Date.parse(cappedAt));
  return {
    condition: 'usage-cap',
    open,
    detail: open
      ? `the X API reports the monthly usage cap exceeded since ${cappedAt}; the daemon retries every 15 min`
      : 'no usage cap reported',
  };
}

/**
 * Sync backlog on server 2: the oldest spool minute not yet on server 1 is older than `backlogMin`, or sync
 * has not run for that long (its local state is stale, or missing while the daemon has run that long).
 */
export function syncBacklogObservation(
  local: SyncState | null,
  stream: StreamState | null,
  nowMs: number,
  backlogMin: number,
): Observation {
  const condition = 'sync-backlog';
  if (local === null) {
    const daemonRanLong = stream !== null && olderThan(nowMs, stream.first_started_at, backlogMin);
    return {
      condition,
      open: daemonRanLong,
      detail: daemonRanLong ? 'sync has never run: no sync-state.json in the state folder' : 'sync has not run yet',
    };
  }
  const lastRunAt = local.last_run?.at ?? local.updated_at;
  const lastError = local.last_run?.ok === false ? `; last run failed: ${local.last_run.error ?? 'unknown error'}` : '';
  if (olderThan(nowMs, lastRunAt, backlogMin)) {
    return { condition, open: true, detail: `sync has not run since ${lastRunAt} (${ageMin(nowMs, lastRunAt)} min)${lastError}` };
  }
  const { files, bytes, oldest_minute: oldest } = local.backlog;
  if (oldest !== null && olderThan(nowMs, oldest, backlogMin)) {
    const mb = (bytes / 1e6).toFixed(1);
    return {
      condition,
      open: true,
      detail: `${files} spool files (${mb} MB) not yet on server 1; the oldest minute is ${oldest} (${ageMin(nowMs, oldest)} min ago)${lastError}`,
    };
  }
  return { condition, open: false, detail: `${files} spool files waiting, last run at ${lastRunAt}` };
}

/** On server 1: server 2's sync-state.json not updated for `silenceMin` (server 2, its sync or the link is down). */
export function syncSilenceObservation(
  remote: SyncState | null,
  stream: StreamState | null,
  nowMs: number,
  silenceMin: number,
): Observation {
  const condition = 'sync-silence';
  if (remote === null) {
    const waitedLong = stream !== null && olderThan(nowMs, stream.first_started_at, silenceMin);
    return {
      condition,
      open: waitedLong,
      detail: waitedLong
        ? "server 2 has never synced: no sync-state.json in the spool's server2/.state folder"
        : 'waiting for the first sync from server 2',
    };
  }
  if (olderThan(nowMs, remote.updated_at, silenceMin)) {
    return {
      condition,
      open: true,
      detail: `server 2 has not synced since ${remote.updated_at} (${ageMin(nowMs, remote.updated_at)} min): server 2, its sync or the link to it is down`,
    };
  }
  return { condition, open: false, detail: `server 2 synced at ${remote.updated_at}` };
}


/**
 * Low disk: any configured folder with less than `minFreeGb` free, the stream daemon finding its spool's disk
 * full (`spoolFullSince` from stream.json), which means received tweets are being dropped right now, or `hourly`
 * leaving hours unpublished for lack of space (`publishShortage`), open until it publishes an hour again.
 */
export function diskObservation(
  folders: readonly FolderSpace[],
  minFreeGb: number,
  spoolFullSince: string | null = null,
  publishShortage: Pick<PublishSpaceShortage, 'since' | 'detail'> | null = null,
): Observation {
  const gb = (bytes: number) => `${(bytes / 1e9).toFixed(1)} GB`;
  const low = folders.filter((f) => f.freeBytes < minFreeGb * 1e9);
  const problems = [
    spoolFullSince === null ? null : `the spool's disk is full since ${spoolFullSince}: the stream daemon drops received tweets until space returns`,
    publishShortage === null ? null : `hourly cannot publish since ${publishShortage.since}: ${publishShortage.detail}`,
    low.length === 0 ? null : `less than ${minFreeGb} GB free: ${low.map((f) => `${f.key} ${f.path} has ${gb(f.freeBytes)}`).join('; ')}`,
  ].filter((problem): problem is string => problem !== null);
  return {
    condition: 'disk-low',
    open: problems.length > 0,
    detail: problems.length > 0 ? problems.join('; ') : `every folder has ${minFreeGb} GB or more free`,
  };
}

/** OSF failing: the outbox's open alerts (auth, quota, or failures older than `osf.fail_alert_h`; osf openAlerts()). */
export function osfObservation(alerts: ReadonlyArray<{ message: string }>): Observation {
  return {
    condition: 'osf-failing',
    open: alerts.length > 0,
    detail: alerts.length > 0 ? alerts.map((a) => a.message).join('; ') : 'uploads to OSF working',
  };
}

/** Clock skew against the X API's Date header; null when the API was unreachable (skipped, never alerted). */
export function clockSkewObservation(skewMs: number | null): Observation | null {
  if (skewMs === null) return null;
  const seconds = (skewMs / 1000).toFixed(1);
  const open = Math.abs(skewMs) > MAX_CLOCK_SKEW_MS;
  return {
    condition: 'clock-skew',
    open,
    detail: open
      ? `this server's clock is off by ${seconds} s against the X API (${skewMs > 0 ? 'behind' : 'ahead'}); check timesyncd/chrony`
      : `clock within ${Math.abs(skewMs / 1000).toFixed(1)} s of the X API`,
  };
}

/** What `hourly` recorded in `<state>/ingest-alerts.json`: one event per quarantined or late file. */
export interface IngestEvent {
  at: string;
  kind: string;
  path: string;
  detail: string;
}

/**
 * Bad input (DESIGN 5, 6): a sha256 mismatch, a foreign file or an arrival too late to amend its hour in the last
 * `windowMin`. Open while such events are recent, so each batch mails once and then recovers.
 */
export function badInputObservation(events: readonly IngestEvent[], nowMs: number, windowMin: number): Observation {
  const recent = events.filter((e) => nowMs - Date.parse(e.at) <= windowMin * MINUTE_MS);
  if (recent.length === 0) return { condition: 'bad-input', open: false, detail: 'no quarantined or late files recently' };
  const newest = recent.at(-1)!;
  const kinds = [...new Set(recent.map((e) => e.kind))].join(', ');
  return {
    condition: 'bad-input',
    open: true,
    detail: `${recent.length} file(s) set aside by hourly in the last ${windowMin} min (${kinds}); newest: ${newest.path}: ${newest.detail}`,
  };
}
