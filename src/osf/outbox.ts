import { join, resolve } from 'node:path';
import type { Settings } from '../config/index.js';
import { stateFileRepair } from '../contracts/index.js';
import type { Clock } from '../platform/clock.js';
import { LockBusyError, withLock } from '../platform/lock-file.js';
import type { Logger } from '../platform/logger.js';
import { ALERT_PAUSE_MS, nextAttemptDelay } from './next-attempt-delay.js';
import {
  newRequestId,
  readEntries,
  readEntry,
  readUploadState,
  removeEntry,
  withAlert,
  writeEntry,
  writeUploadState,
  type StoredEntry,
} from './outbox-store.js';
import type { DrainResult, OsfAlert, OutboxEntry, OutboxStatus, UploadRequest } from './outbox-types.js';
import { splitRemotePath } from './remote-path.js';
import { uploadFile, type UploadOutcome } from './upload-file.js';
import { openOsfConnection, type OsfConnection } from './osf-connection.js';
import { HOUR_MS, MINUTE_MS } from '../platform/time.js';

/** A drain stops starting uploads after this long, so `hourly` (which drains too) stays short. */
export const DRAIN_BUDGET_MS = 4 * MINUTE_MS;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Queues uploads in `<state>/outbox/`, one atomically written file per remote path, each after every entry
 * already queued. A request for a path already queued replaces that entry (an amendment) and moves it to
 * the end, but keeps its failure history and backoff.
 */
export async function enqueueUploads(stateDir: string, requests: readonly UploadRequest[], nowMs: number): Promise<void> {
  for (const request of requests) splitRemotePath(request.remotePath);
  const repair = stateFileRepair(stateDir, nowMs);
  let sequence = Math.max(0, ...(await readEntries(stateDir, repair)).map((entry) => entry.sequence));
  for (const request of requests) {
    const previous = await readEntry(stateDir, request.remotePath, repair);
    await writeEntry(stateDir, {
      requestId: newRequestId(),
      sequence: ++sequence,
      remotePath: request.remotePath,
      localPath: resolve(request.localPath),
      enqueuedAt: iso(nowMs),
      attempts: previous?.attempts ?? 0,
      nextAttemptAt: previous?.nextAttemptAt ?? iso(nowMs),
      lastError: previous?.lastError ?? null,
      firstFailureAt: previous?.firstFailureAt ?? null,
    });
  }
}

function publicEntry(entry: StoredEntry): OutboxEntry {
  const { requestId: _requestId, sequence: _sequence, ...rest } = entry;
  return rest;
}

/** The outbox as stored: pending entries (oldest first), the failing ones, and the open auth/quota alert. */
export async function readOutboxStatus(stateDir: string): Promise<OutboxStatus> {
  const pending = (await readEntries(stateDir)).map(publicEntry);
  const failing = pending.filter((entry) => entry.attempts > 0);
  const failures = failing.flatMap((entry) => (entry.firstFailureAt === null ? [] : [entry.firstFailureAt])).sort();
  const { lastAlert } = await readUploadState(stateDir);
  return { pending, failing, oldestFailureAt: failures[0] ?? null, lastAlert };
}

/** Open alerts: the recorded auth/quota alert, and 'osf-failing' once a failure is older than `osf.fail_alert_h`. */
export function openAlerts(status: OutboxStatus, failAlertH: number, nowMs: number): OsfAlert[] {
  const alerts: OsfAlert[] = status.lastAlert ? [status.lastAlert] : [];
  const oldest = status.oldestFailureAt === null ? null : Date.parse(status.oldestFailureAt);
  if (oldest !== null && nowMs - oldest >= failAlertH * HOUR_MS) {
    const lastError = status.failing.find((entry) => entry.lastError !== null)?.lastError ?? 'unknown';
    alerts.push({
      condition: 'osf-failing',
      message: `OSF uploads failing since ${status.oldestFailureAt} (${status.failing.length} files waiting; last error: ${lastError})`,
    });
  }
  return alerts;
}

/** Dependencies of drainOutbox(); `retryNow` (the `upload` command) ignores backoff and the alert pause. */
export interface DrainDeps {
  settings: Settings;
  clock: Clock;
  log: Logger;
  retryNow?: boolean;
}

interface DrainProgress {
  uploaded: string[];
  failed: number;
}

async function recordFailure(stateDir: string, entry: StoredEntry, outcome: Exclude<UploadOutcome, { action: 'done' }>, nowMs: number): Promise<void> {
  const current = await readEntry(stateDir, entry.remotePath);
  // An amendment queued during the upload is newer than what failed: leave it as queued.
  if (current?.requestId !== entry.requestId) return;
  const attempts = entry.attempts + 1;
  const delayMs = outcome.action === 'alert' ? ALERT_PAUSE_MS : nextAttemptDelay(attempts, outcome.retryAfterMs);
  await writeEntry(stateDir, {
    ...entry,
    attempts,
    nextAttemptAt: iso(nowMs + delayMs),
    lastError: outcome.reason,
    firstFailureAt: entry.firstFailureAt ?? iso(nowMs),
  });
}

async function recordSuccess(stateDir: string, entry: StoredEntry): Promise<void> {
  const current = await readEntry(stateDir, entry.remotePath);
  if (current?.requestId === entry.requestId) await removeEntry(stateDir, entry.remotePath);
}

async function uploadDue(deps: DrainDeps, due: StoredEntry[], progress: DrainProgress): Promise<void> {
  const { settings, clock, log } = deps;
  const stateDir = settings.paths.state;
  const startMs = clock.now();
  // The budget is real elapsed time: `hourly --now` runs on a fixed clock that never moves.
  const budgetEnd = performance.now() + DRAIN_BUDGET_MS;
  let connection: OsfConnection;
  try {
    connection = await openOsfConnection(settings, clock);
  } catch (err) {
    log.error({ err }, 'cannot open OSF');
    await writeUploadState(stateDir, withAlert({ condition: 'osf-auth', message: (err as Error).message }, startMs, null));
    return;
  }
  const { client, folders } = connection;
  for (const entry of due) {
    if (performance.now() >= budgetEnd) {
      log.info({ left: due.length - progress.uploaded.length - progress.failed }, 'OSF drain time budget used up');
      break;
    }
    const outcome = await uploadFile({ client, folders, log }, entry);
    await folders.save();
    const nowMs = clock.now();
    if (outcome.action === 'done') {
      await recordSuccess(stateDir, entry);
      progress.uploaded.push(entry.remotePath);
      log.info({ remotePath: entry.remotePath }, 'uploaded to OSF');
      continue;
    }
    progress.failed++;
    await recordFailure(stateDir, entry, outcome, nowMs);
    log.warn({ remotePath: entry.remotePath, reason: outcome.reason, attempts: entry.attempts + 1 }, 'OSF upload failed');
    if (outcome.action === 'alert') {
      // Auth and quota refusals hold for every file: pause them all instead of failing each in turn.
      await writeUploadState(stateDir, withAlert({ condition: outcome.condition, message: outcome.reason }, nowMs, nowMs + ALERT_PAUSE_MS));
      log.error({ condition: outcome.condition, reason: outcome.reason }, 'OSF uploads paused');
      return;
    }
  }
  if (progress.uploaded.length > 0) await writeUploadState(stateDir, withAlert(null, clock.now(), null));
}

async function drainLocked(deps: DrainDeps, progress: DrainProgress): Promise<void> {
  const { settings, clock, log, retryNow = false } = deps;
  const stateDir = settings.paths.state;
  const nowMs = clock.now();
  // Corrupt entries are set aside with an alert, so one bad file does not stop every later upload.
  const repair = stateFileRepair(stateDir, nowMs, log);
  const state = await readUploadState(stateDir, repair);
  if (!retryNow && state.pausedUntil !== null && Date.parse(state.pausedUntil) > nowMs) {
    log.info({ pausedUntil: state.pausedUntil, condition: state.lastAlert?.condition }, 'OSF uploads paused');
    return;
  }
  const due = (await readEntries(stateDir, repair)).filter((entry) => retryNow || Date.parse(entry.nextAttemptAt) <= nowMs);
  if (due.length > 0) await uploadDue(deps, due, progress);
}

/**
 * Uploads every due outbox entry to OSF (DESIGN 7), oldest first, within DRAIN_BUDGET_MS; failures back off,
 * auth/quota refusals pause all uploads and alert. Does nothing but report while `osf.enabled` is false or
 * another drain holds the lock.
 */
export async function drainOutbox(deps: DrainDeps): Promise<DrainResult> {
  const { settings, clock, log } = deps;
  const stateDir = settings.paths.state;
  const progress: DrainProgress = { uploaded: [], failed: 0 };
  if (settings.osf.enabled) {
    try {
      await withLock(join(stateDir, 'osf-upload.lock'), () => drainLocked(deps, progress));
    } catch (err) {
      if (!(err instanceof LockBusyError)) throw err;
      log.info({ holderPid: err.holderPid }, 'another OSF drain is running');
    }
  }
  const status = await readOutboxStatus(stateDir);
  return {
    ...progress,
    pending: status.pending.length,
    alerts: openAlerts(status, settings.osf.fail_alert_h, clock.now()),
  };
}
