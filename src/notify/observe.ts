import { folderSpace } from '../platform/free-space.js';
import type { Settings } from '../config/index.js';
import { openAlerts, readOutboxStatus } from '../osf/index.js';
import { readStreamState, type StreamState } from '../contracts/index.js';
import { readLocalSyncState, readSyncState } from '../contracts/index.js';
import { readIngestAlerts, readPublishSpaceShortage } from '../contracts/index.js';
import {
  authObservation,
  badInputObservation,
  clockSkewObservation,
  diskObservation,
  osfObservation,
  silenceObservation,
  syncBacklogObservation,
  syncSilenceObservation,
  usageCapObservation,
  type ConditionName,
  type Observation,
} from './conditions.js';

/** What observeConditions() reads besides the files named in the settings. */
export interface ObserveDeps {
  settings: Settings;
  nowMs: number;
  /** Clock skew against the X API in ms, null when unreachable (measureClockSkew in production). */
  measureSkew: () => Promise<number | null>;
}

type Check = [ConditionName, () => Promise<Observation | null>];

/** The checks that apply to this server's role and settings (DESIGN 8). */
function checksFor(deps: ObserveDeps): Check[] {
  const { settings, nowMs } = deps;
  const email = settings.email;
  let streamRead: Promise<StreamState | null> | undefined;
  // Read once; only the silence check reports an unreadable stream.json, the others then skip.
  const stream = () => (streamRead ??= readStreamState(settings.paths.state));
  const streamIfReadable = () => stream().catch(() => undefined);
  const withStream = (observe: (s: StreamState | null) => Observation) => async () => {
    const s = await streamIfReadable();
    return s === undefined ? null : observe(s);
  };
  const checks: Check[] = [
    ['silence', async () => silenceObservation(await stream(), nowMs, email.silence_alert_min)],
    ['auth', withStream(authObservation)],
    ['usage-cap', withStream(usageCapObservation)],
    [
      'disk-low',
      async () =>
        diskObservation(
          await folderSpace(settings.paths),
          settings.alerts.min_free_gb,
          (await streamIfReadable())?.spool_full_since ?? null,
          await readPublishSpaceShortage(settings.paths.state),
        ),
    ],
    ['clock-skew', async () => clockSkewObservation(await deps.measureSkew())],
  ];
  if (settings.server === 'server2') {
    checks.push([
      'sync-backlog',
      async () =>
        syncBacklogObservation(
          await readLocalSyncState(settings.paths.state),
          (await streamIfReadable()) ?? null,
          nowMs,
          email.sync_backlog_alert_min,
        ),
    ]);
  } else if (settings.hourly.expect_server2) {
    checks.push([
      'sync-silence',
      async () =>
        syncSilenceObservation(
          await readSyncState(settings.paths.spool),
          (await streamIfReadable()) ?? null,
          nowMs,
          email.silence_alert_min,
        ),
    ]);
  }
  if (settings.server === 'server1') {
    checks.push([
      'bad-input',
      async () => {
        // disk-low carries publish-no-space, open from its first refusal until hourly publishes again.
        const events = (await readIngestAlerts(settings.paths.state)).events.filter((event) => event.kind !== 'publish-no-space');
        return badInputObservation(events, nowMs, email.alert_interval_min);
      },
    ]);
  }
  if (settings.osf.enabled) {
    checks.push([
      'osf-failing',
      async () => osfObservation(openAlerts(await readOutboxStatus(settings.paths.state), settings.osf.fail_alert_h, nowMs)),
    ]);
  }
  return checks;
}

/**
 * Evaluates every alert condition once. A check that cannot read its input is itself an open condition, so a
 * broken state file is reported instead of silencing the alert.
 */
export async function observeConditions(deps: ObserveDeps): Promise<Observation[]> {
  const results = await Promise.all(
    checksFor(deps).map(async ([condition, check]) => {
      try {
        return await check();
      } catch (err) {
        return { condition, open: true, detail: `cannot check: ${(err as Error).message}` };
      }
    }),
  );
  return results.filter((o): o is Observation => o !== null);
}
