import { stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { folderSpace } from '../platform/free-space.js';
import type { Settings } from '../config/index.js';
import type { Clock } from '../platform/clock.js';
import { acquireLock, LockBusyError } from '../platform/lock-file.js';
import type { Logger } from '../platform/logger.js';
import { logPrune, type PruneTotals } from '../platform/prune-log.js';
import {
  decodeRemoteSyncState,
  encodeSyncState,
  HOUR_MS,
  minuteKey,
  parseSpoolName,
  readInflightRecord,
  readLocalSyncState,
  readStreamState,
  removeEmptyHourDirs,
  scanSpool,
  stateFileRepair,
  SYNC_STATE_DIR,
  SYNC_STATE_FILE,
  writeLocalSyncState,
  type SpoolFile,
  type SyncState,
} from '../contracts/index.js';
import { nextSyncState } from './next-sync-state.js';
import { openTransport } from './open-transport.js';
import { pushFiles, resendFile, writeTemporary, type PushContext } from './push.js';
import { findSentCopies, pruneSent, sentDir, sentHashes } from './sent-store.js';
import type { Transport } from './transport.js';

/** What a sync run needs; only the CLI builds the real ones. */
export interface SyncDeps {
  settings: Settings;
  clock: Clock;
  log: Logger;
  /** Where files go; by default the one `sync.transport` names, connected and closed by the run. */
  transport?: Transport;
}

/** Options of one run (`sync --resend`). */
export interface SyncOptions {
  /** A minute `YYYY-MM-DDTHH-MM` (UTC) whose kept copies are sent again, replacing server 1's files. */
  resend?: string;
}

/** What a run did. */
export interface SyncResult {
  /** Another run held `<state>/sync.lock`; this one did nothing. */
  skipped: boolean;
  sent: number;
  /** Found already on server 1 after an interrupted run: only the local move was finished. */
  alreadyDelivered: number;
  resent: number;
  bytes: number;
  /** Foreign files in the spool, never sent. */
  foreign: number;
  /** Kept copies older than `keep_sent_h`, deleted: how many, and their bytes. */
  pruned: PruneTotals;
  /** The state pushed to server 1; null when skipped. */
  state: SyncState | null;
}

function emptyResult(skipped: boolean): SyncResult {
  return { skipped, sent: 0, alreadyDelivered: 0, resent: 0, bytes: 0, foreign: 0, pruned: { count: 0, bytes: 0 }, state: null };
}

/** Parses `--resend YYYY-MM-DDTHH-MM` (a trailing Z is accepted) to the minute's start; RangeError otherwise. */
export function parseResendMinute(text: string): number {
  const parsed = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}Z?$/.test(text) ? parseSpoolName(`${text.replace(/Z$/, '')}Z.jsonl`) : null;
  if (parsed === null) throw new RangeError(`Cannot resend "${text}": expected a UTC minute like 2026-11-22T06-27`);
  return parsed.minuteStartMs;
}

function stateDirOnTarget(server: string): string {
  return posix.join(server, SYNC_STATE_DIR);
}

/** Server 1's copy, when server 2 lost its own; a corrupt one is ignored (the run writes a new one). */
async function readRemoteState(transport: Transport, server: string): Promise<SyncState | null> {
  const path = posix.join(stateDirOnTarget(server), SYNC_STATE_FILE);
  const data = await transport.readFile(path);
  return data === null ? null : decodeRemoteSyncState(`${transport.target}/${path}`, data.toString('utf8'));
}

/** Pushes sync-state.json by temporary name and rename, after every file it covers. */
async function pushState(ctx: PushContext, server: string, state: SyncState): Promise<void> {
  const dir = stateDirOnTarget(server);
  const tmp = posix.join(dir, `.${SYNC_STATE_FILE}.tmp`);
  const data = encodeSyncState(state);
  await ctx.ensureDir(dir);
  await writeTemporary(ctx, SYNC_STATE_FILE, tmp, data.length, () => ctx.transport.writeFile(tmp, data));
  await ctx.transport.rename(tmp, posix.join(dir, SYNC_STATE_FILE), { overwrite: true });
}

async function resendMinute(
  ctx: PushContext,
  settings: Settings,
  minuteStartMs: number,
  sent: Record<string, string>,
): Promise<number> {
  const copies = await findSentCopies(ctx.stateDir, settings.server, minuteStartMs);
  if (copies.length === 0) {
    throw new Error(
      `Cannot resend minute ${minuteKey(minuteStartMs)}: no kept copy in ${sentDir(ctx.stateDir)} ` +
        `(copies are kept for 'sync.keep_sent_h' = ${settings.sync.keep_sent_h} hours after sending)`,
    );
  }
  for (const relativePath of copies) {
    const localPath = join(sentDir(ctx.stateDir), relativePath);
    sent[relativePath] = await resendFile(ctx, localPath, relativePath, (await stat(localPath)).size);
  }
  return copies.length;
}

/** The push context of one run: the transport plus a memo of folders already created on it. */
function pushContext(deps: SyncDeps, transport: Transport, knownHashes: Record<string, string>): PushContext {
  const made = new Map<string, Promise<void>>();
  // One mkdir -p at a time: two folders created at once can race on a shared parent over SFTP.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    transport,
    stateDir: deps.settings.paths.state,
    clock: deps.clock,
    log: deps.log,
    knownHashes,
    ensureDir(dir) {
      let done = made.get(dir);
      if (done === undefined) {
        done = queue.then(() => transport.mkdirp(dir));
        queue = done.catch(() => undefined);
        made.set(dir, done);
        done.catch(() => made.delete(dir));
      }
      return done;
    },
  };
}

async function syncLocked(deps: SyncDeps, resendMs: number | undefined): Promise<SyncResult> {
  const { settings, clock, log } = deps;
  const stateDir = settings.paths.state;
  const startedMs = clock.now();
  const result = emptyResult(false);
  result.pruned = await pruneSent(stateDir, startedMs - settings.sync.keep_sent_h * HOUR_MS);
  logPrune(log, 'sent', result.pruned);
  // A corrupt state file is set aside with an alert; the run then rebuilds it from the spool and server 1.
  const repair = stateFileRepair(stateDir, startedMs, log, settings.server);
  // Read before listing the spool: every minute before this watermark is already closed, so it is listed.
  const stream = await readStreamState(stateDir, repair);
  const scan = await scanSpool(settings.paths.spool, [settings.server]);
  result.foreign = scan.foreign.length;
  const examples = scan.foreign.slice(0, 5).map((file) => file.relativePath);
  if (result.foreign > 0) log.warn({ count: result.foreign, examples }, 'foreign files in spool not sent');
  let previous = await readLocalSyncState(stateDir, repair);
  const inflight = await readInflightRecord(stateDir, repair);
  const sent = await sentHashes(stateDir, previous?.sent ?? {});
  const knownHashes = { ...sent, ...(inflight ? { [inflight.path]: inflight.sha256 } : {}) };
  // A folder whose free space cannot be read is left out: the report is informative, the sync must go on.
  const freeSpace = await folderSpace(settings.paths).catch(() => []);
  const stateNow = (unsent: SpoolFile[]) =>
    nextSyncState({ server: settings.server, nowMs: clock.now(), previous, stream, unsent, sent, freeSpace });
  let delivered = 0;
  let transport: Transport | undefined;
  try {
    transport = deps.transport ?? (await openTransport(settings, log));
    const ctx = pushContext(deps, transport, knownHashes);
    previous ??= await readRemoteState(transport, settings.server);
    if (resendMs !== undefined) result.resent = await resendMinute(ctx, settings, resendMs, sent);
    for await (const { file, sha256, outcome } of pushFiles(ctx, scan.files)) {
      sent[file.relativePath] = sha256;
      delivered++;
      result.bytes += file.bytes;
      if (outcome === 'sent') result.sent++;
      else result.alreadyDelivered++;
    }
    result.state = stateNow([]);
    await pushState(ctx, settings.server, result.state);
    await writeLocalState(deps, result.state);
    await removeEmptyHourDirs(settings.paths.spool, settings.server, clock.now() - HOUR_MS);
  } catch (err) {
    await writeLocalState(deps, stateNow(scan.files.slice(delivered)), err);
    throw err;
  } finally {
    if (deps.transport === undefined) await transport?.close().catch((err: unknown) => log.warn({ err }, 'transport close failed'));
  }
  const { sent: files, alreadyDelivered, resent, bytes } = result;
  const completeUntil = result.state.complete_until;
  log.info({ files, alreadyDelivered, resent, bytes, completeUntil, durationMs: clock.now() - startedMs }, 'sync finished');
  return result;
}

/** Server 2's own copy, written every run, pushed or not, so `watch` and `status` see the backlog. */
async function writeLocalState(deps: SyncDeps, state: SyncState, failure?: unknown): Promise<void> {
  const error = failure === undefined ? null : failure instanceof Error ? failure.message : String(failure);
  const lastRun = { at: new Date(deps.clock.now()).toISOString(), ok: error === null, error };
  await writeLocalSyncState(deps.settings.paths.state, { ...state, last_run: lastRun });
}

/**
 * One sync run on server 2 (DESIGN 5): under `<state>/sync.lock`, push every closed spool file oldest first,
 * then sync-state.json last. A run that finds the lock taken logs 'sync already running' and does nothing.
 */
export async function runSync(deps: SyncDeps, options: SyncOptions = {}): Promise<SyncResult> {
  const resendMs = options.resend === undefined ? undefined : parseResendMinute(options.resend);
  let lock;
  try {
    lock = await acquireLock(join(deps.settings.paths.state, 'sync.lock'), { log: deps.log });
  } catch (err) {
    if (!(err instanceof LockBusyError)) throw err;
    deps.log.info({ holderPid: err.holderPid }, 'sync already running');
    return emptyResult(true);
  }
  try {
    return await syncLocked(deps, resendMs);
  } finally {
    await lock.release();
  }
}
