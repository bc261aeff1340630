import type { IncomingMessage } from 'node:http';
import type { Clock } from '../platform/clock.js';
import { SECOND_MS } from '../platform/time.js';
import { SecretFileError, secretFileVersion } from '../platform/secret-file.js';
import { ReconnectPolicy } from './backoff.js';
import { classifyFailure, type FailureClass } from './classify.js';
import { openStream, type StreamEndpoint } from './connection.js';
import { StreamHttpError, StreamSetupError } from './stream-errors.js';
import { readStreamBody, type StreamBodyDeps } from './stream-body.js';
import type { StreamStatus } from './stream-status.js';
import { watchForStall } from './watchdog.js';

/** What one connection loop needs: its endpoint and stall timeout, plus what its body reader needs. */
export interface ConnectionLoopDeps extends StreamBodyDeps {
  endpoint: StreamEndpoint;
  stallTimeoutMs: number;
}

type Outcome =
  | { kind: 'stopped' }
  | { kind: 'fatal'; err: Error }
  | {
      kind: 'failed';
      cls: FailureClass;
      err?: Error;
      connectedAtMs: number | null;
      resetAtMs: number | null;
      /** When data stopped flowing: the last byte for a stall, else the failure. */
      downSinceMs: number;
    };

function resetAtOf(err: unknown): number | null {
  if (!(err instanceof StreamHttpError) || err.headers['x-rate-limit-remaining'] !== '0') return null;
  const reset = Number(err.headers['x-rate-limit-reset']);
  return Number.isFinite(reset) && reset > 0 ? reset * 1000 : null;
}

/**
 * While a refused token waits out its 15-minute retry, the token file is looked at this often: a fixed
 * rotation reconnects within seconds (issue 15.3). fs.watch misses atomic renames, so this is a stat.
 */
export const TOKEN_FILE_POLL_MS = 5 * SECOND_MS;

const FAILURE_MESSAGES: Partial<Record<FailureClass, string>> = {
  config: 'the API refused the stream: fix the token or settings (retrying every 15 min)',
  'usage-cap': 'the API usage cap is reached (retrying every 15 min)',
  'too-many-connections': 'another client holds the connection slot (429 TooManyConnections)',
};

/**
 * One stream connection kept alive until `signal` aborts (DESIGN 4): connect, frame and write the body,
 * and after every end or failure wait as the reconnect policy says. Rejects only when the spool cannot
 * be written.
 */
export async function runConnectionLoop(deps: ConnectionLoopDeps, signal: AbortSignal): Promise<void> {
  const { clock, log, status, connection } = deps;
  const policy = new ReconnectPolicy();
  while (!signal.aborted) {
    const budgetWaitMs = policy.budgetWait(clock.now());
    if (budgetWaitMs > 0) {
      log.warn({ delayMs: budgetWaitMs }, 'connection attempts per 15 min used up: waiting');
      if (!(await pause(clock, budgetWaitMs, signal))) break;
    }
    policy.recordAttempt(clock.now());
    const tokenVersion = await secretFileVersion(deps.endpoint.tokenFile);
    const outcome = await runConnection(deps, signal);
    if (outcome.kind === 'fatal') throw outcome.err;
    if (outcome.kind === 'stopped') break;
    const { cls, err, connectedAtMs, resetAtMs } = outcome;
    const reason = deps.partition === null ? cls : `${cls} (partition ${deps.partition})`;
    status.connectionDown(connection, reason, outcome.downSinceMs);
    status.recordReconnect(cls);
    const nowMs = clock.now();
    const delayMs = policy.onFailure(cls, { nowMs, resetAtMs, connectedAtMs });
    deps.onStateChange();
    const livedMs = connectedAtMs === null ? null : nowMs - connectedAtMs;
    const fields = { cls, delayMs, attempt: policy.failures(cls), err, livedMs };
    const message = FAILURE_MESSAGES[cls];
    if (message) log.error(fields, message);
    else log.warn(fields, 'reconnecting');
    if (cls === 'config') await pauseUntilTokenChanges(deps, delayMs, tokenVersion, signal);
    else await pause(clock, delayMs, signal);
  }
  status.connectionDown(connection, 'stopped', clock.now());
}

/** Waits `ms` as pause() does, cut short when the token file differs from `tokenVersion` (the one refused). */
async function pauseUntilTokenChanges(deps: ConnectionLoopDeps, ms: number, tokenVersion: string, signal: AbortSignal): Promise<void> {
  const { clock, log, endpoint } = deps;
  const changed = new AbortController();
  const waiting = AbortSignal.any([signal, changed.signal]);
  const watcher = (async () => {
    while (await pause(clock, TOKEN_FILE_POLL_MS, waiting)) {
      if ((await secretFileVersion(endpoint.tokenFile)) !== tokenVersion) {
        log.info('the token file changed: reconnecting now');
        changed.abort();
      }
    }
  })();
  await pause(clock, ms, waiting);
  changed.abort();
  await watcher;
}

async function pause(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}

function recordRefusal(status: StreamStatus, cls: FailureClass, err: Error, atMs: number): void {
  if (err instanceof StreamSetupError && err.cause instanceof SecretFileError) status.recordTokenUnusable(err.cause.message, atMs);
  if (!(err instanceof StreamHttpError)) return;
  if (cls === 'usage-cap') status.recordUsageCap(atMs);
  else if (cls === 'config') status.recordAuthRejected(err.status, err.apiMessage, atMs);
}

/** One connection from dial to its end. */
async function runConnection(deps: ConnectionLoopDeps, signal: AbortSignal): Promise<Outcome> {
  const { clock, stallTimeoutMs, status, log } = deps;
  const conn = new AbortController();
  const stop = () => conn.abort();
  signal.addEventListener('abort', stop, { once: true });
  let lastByteAtMs = clock.now();
  let stalled = false;
  const watchdog = watchForStall({
    clock,
    stallTimeoutMs,
    lastByteAtMs: () => lastByteAtMs,
    onStall: () => {
      stalled = true;
      conn.abort();
    },
    signal: conn.signal,
  });
  try {
    let response: IncomingMessage;
    try {
      response = await openStream(deps.endpoint, conn.signal);
    } catch (err) {
      if (signal.aborted) return { kind: 'stopped' };
      const cls = stalled ? 'stall' : classifyFailure(err as Error);
      recordRefusal(status, cls, err as Error, clock.now());
      return { kind: 'failed', cls, err: err as Error, connectedAtMs: null, resetAtMs: resetAtOf(err), downSinceMs: clock.now() };
    }
    const connectedAtMs = clock.now();
    lastByteAtMs = connectedAtMs;
    status.recordAuthOk(connectedAtMs);
    log.info({ status: response.statusCode }, 'connected');
    const end = await readStreamBody(deps, response, (atMs) => (lastByteAtMs = atMs));
    if (end.kind === 'fatal') return end;
    if (signal.aborted) return { kind: 'stopped' };
    const cls: FailureClass = stalled ? 'stall' : end.kind;
    return {
      kind: 'failed',
      cls,
      err: end.err,
      connectedAtMs,
      resetAtMs: null,
      downSinceMs: cls === 'stall' ? lastByteAtMs : clock.now(),
    };
  } finally {
    conn.abort();
    signal.removeEventListener('abort', stop);
    await watchdog;
  }
}
