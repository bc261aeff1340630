import { freeBytesAt } from '../platform/free-space.js';
import type { Settings } from '../config/index.js';
import { listManifestHours, readManifest } from '../contracts/index.js';
import { readOutboxStatus } from '../osf/index.js';
import { readStreamState, type StreamState } from '../contracts/index.js';
import { readLocalSyncState, readSyncState, type SyncState } from '../contracts/sync-state.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../platform/time.js';

const GIB = 1024 ** 3;

/** Everything `status` reads, gathered once (DESIGN 10). */
export interface StatusInputs {
  server: Settings['server'];
  expectServer2: boolean;
  stream: StreamState | null;
  /** Server 1: server 2's pushed state; server 2: its own local copy. */
  sync: SyncState | null;
  lastPublished: { hour: string; label: string; version: number; publishedAt: string } | null;
  amendmentsToday: number;
  uploads: { pending: number; failing: number } | null;
  disk: Array<{ key: string; path: string; freeGb: number }>;
  silenceAlertMin: number;
  diskFreeAlertGb: number;
}

/** The summary `status` prints, and `--json` emits. */
export interface StatusReport {
  ok: boolean;
  reasons: string[];
  server: string;
  stream: {
    connected: boolean;
    last_message_at: string | null;
    last_message_age_s: number | null;
    tweets_last_hour: number | null;
    reconnects_today: number;
  } | null;
  server2: { complete_until: string | null; updated_at: string | null; backlog_files: number; backlog_bytes: number } | null;
  last_published_hour: StatusInputs['lastPublished'];
  amendments_today: number;
  uploads: StatusInputs['uploads'];
  disk: StatusInputs['disk'];
}

function tweetsInLastHour(stream: StreamState, nowMs: number): number | null {
  if (!stream.tweets_by_minute) return null;
  return Object.entries(stream.tweets_by_minute)
    .filter(([minute]) => Date.parse(minute) >= nowMs - HOUR_MS)
    .reduce((sum, [, tweets]) => sum + tweets, 0);
}

/** Pure: health verdict and figures from what was read. */
export function summarizeStatus(inputs: StatusInputs, nowMs: number): StatusReport {
  const reasons: string[] = [];
  const { stream, sync } = inputs;
  const dayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  let streamSummary: StatusReport['stream'] = null;
  if (stream === null) {
    reasons.push('the stream daemon has never run here (no stream.json)');
  } else {
    const lastAt = stream.last_message_at ? Date.parse(stream.last_message_at) : null;
    streamSummary = {
      connected: stream.connected,
      last_message_at: stream.last_message_at,
      last_message_age_s: lastAt === null ? null : Math.round((nowMs - lastAt) / 1000),
      tweets_last_hour: tweetsInLastHour(stream, nowMs),
      reconnects_today: stream.gaps.filter((g) => Date.parse(g.start) >= dayStart).length,
    };
    if (nowMs - Date.parse(stream.updated_at) > inputs.silenceAlertMin * MINUTE_MS) {
      reasons.push(`the stream daemon is not running (stream.json last updated ${stream.updated_at})`);
    } else if (lastAt === null || nowMs - lastAt > inputs.silenceAlertMin * MINUTE_MS) {
      reasons.push(`no message from the X API for over ${inputs.silenceAlertMin} min`);
    }
    if (stream.auth.state === 'rejected') reasons.push(`the X API rejects the token: ${stream.auth.detail ?? stream.auth.status}`);
  }
  let server2: StatusReport['server2'] = null;
  if (sync) {
    server2 = {
      complete_until: sync.complete_until,
      updated_at: sync.updated_at,
      backlog_files: sync.backlog.files,
      backlog_bytes: sync.backlog.bytes,
    };
    if (nowMs - Date.parse(sync.updated_at) > inputs.silenceAlertMin * MINUTE_MS) {
      reasons.push(`server 2's sync state is stale (updated ${sync.updated_at})`);
    }
  } else if (inputs.server === 'server1' && inputs.expectServer2) {
    reasons.push('server 2 has never synced (no sync-state.json)');
  }
  if (inputs.uploads && inputs.uploads.failing > 0) reasons.push(`${inputs.uploads.failing} OSF upload(s) failing`);
  for (const d of inputs.disk) {
    if (d.freeGb < inputs.diskFreeAlertGb) reasons.push(`${d.key} has ${d.freeGb.toFixed(1)} GB free`);
  }
  return {
    ok: reasons.length === 0,
    reasons,
    server: inputs.server,
    stream: streamSummary,
    server2,
    last_published_hour: inputs.lastPublished,
    amendments_today: inputs.amendmentsToday,
    uploads: inputs.uploads,
    disk: inputs.disk,
  };
}

async function lastPublished(settings: Settings, nowMs: number) {
  const hours = await listManifestHours(settings.paths.staging);
  const dayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  let amendmentsToday = 0;
  let last: StatusInputs['lastPublished'] = null;
  for (const hour of hours.slice(-72)) {
    const manifest = await readManifest(settings.paths.staging, hour);
    if (!manifest) continue;
    if (manifest.version > 1 && Date.parse(manifest.published_at) >= dayStart) amendmentsToday += 1;
    last = { hour, label: manifest.label, version: manifest.version, publishedAt: manifest.published_at };
  }
  return { last, amendmentsToday };
}

/** Reads every input of `status`; unreadable parts become reasons, never a crash. */
export async function collectStatus(settings: Settings, nowMs: number): Promise<StatusReport> {
  const problems: string[] = [];
  const attempt = async <T>(what: string, read: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await read();
    } catch (err) {
      problems.push(`cannot read ${what}: ${(err as Error).message}`);
      return fallback;
    }
  };
  const isServer1 = settings.server === 'server1';
  const stream = await attempt('stream.json', () => readStreamState(settings.paths.state), null);
  const sync = await attempt(
    'sync-state.json',
    () => (isServer1 ? readSyncState(settings.paths.spool) : readLocalSyncState(settings.paths.state)),
    null,
  );
  const published = isServer1
    ? await attempt('hour manifests', () => lastPublished(settings, nowMs), { last: null, amendmentsToday: 0 })
    : { last: null, amendmentsToday: 0 };
  const uploads = settings.osf.enabled
    ? await attempt('the OSF outbox', async () => {
        const outbox = await readOutboxStatus(settings.paths.state);
        return { pending: outbox.pending.length, failing: outbox.failing.length };
      }, null)
    : null;
  const disk = await Promise.all(
    Object.entries(settings.paths).map(async ([key, path]) =>
      attempt(`free space of ${path}`, async () => {
        return { key: `paths.${key}`, path, freeGb: (await freeBytesAt(path)) / GIB };
      }, { key: `paths.${key}`, path, freeGb: Number.NaN }),
    ),
  );
  const report = summarizeStatus(
    {
      server: settings.server,
      expectServer2: settings.hourly.expect_server2,
      stream,
      sync,
      lastPublished: published.last,
      amendmentsToday: published.amendmentsToday,
      uploads,
      disk: disk.filter((d) => !Number.isNaN(d.freeGb)),
      silenceAlertMin: settings.email.silence_alert_min,
      diskFreeAlertGb: settings.alerts.min_free_gb,
    },
    nowMs,
  );
  return { ...report, ok: report.ok && problems.length === 0, reasons: [...problems, ...report.reasons] };
}

function age(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (seconds < 120) return `${seconds} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  return `${(seconds / 3600).toFixed(1)} h ago`;
}

/** Plain lines for people. */
export function formatStatus(report: StatusReport): string {
  const lines = [`sampled-stream ${report.server}: ${report.ok ? 'ok' : 'NOT OK'}`];
  for (const reason of report.reasons) lines.push(`  ! ${reason}`);
  if (report.stream) {
    const s = report.stream;
    const tweets = s.tweets_last_hour === null ? '' : `, ${s.tweets_last_hour} tweets in the last hour`;
    lines.push(
      `stream      ${s.connected ? 'connected' : 'DISCONNECTED'}, last message ${age(s.last_message_age_s)}${tweets}, ${s.reconnects_today} reconnects today`,
    );
  }
  if (report.server2) {
    const s = report.server2;
    const who = report.server === 'server1' ? 'server 2   ' : 'sync       ';
    lines.push(`${who} complete until ${s.complete_until ?? 'unknown'}, state updated ${s.updated_at ?? 'never'}, backlog ${s.backlog_files} files (${(s.backlog_bytes / 1e6).toFixed(1)} MB)`);
  }
  if (report.server === 'server1') {
    const p = report.last_published_hour;
    lines.push(`published   ${p ? `last hour ${p.label} (UTC ${p.hour}, version ${p.version}, at ${p.publishedAt})` : 'nothing yet'}, ${report.amendments_today} amendments today`);
  }
  if (report.uploads) lines.push(`uploads     ${report.uploads.pending} pending, ${report.uploads.failing} failing`);
  for (const d of report.disk) lines.push(`disk        ${d.key} ${d.path}: ${d.freeGb.toFixed(1)} GB free`);
  return lines.join('\n') + '\n';
}
