import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errorCode, isNotFound } from './fs-errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { readTextIfExists } from './optional-files.js';
import type { Logger } from './logger.js';

/** Another live process holds the lock; callers usually log and exit 0 (the next run will do the work). */
export class LockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly holderPid: number,
  ) {
    super(`Cannot take lock ${path}: held by running process ${holderPid}`);
    this.name = 'LockBusyError';
  }
}

/** Why a lock file was taken over. */
export type StaleReason = 'unreadable' | 'dead' | 'pid-reused' | 'other-boot';

export interface StaleLock {
  reason: StaleReason;
  /** null when the file was not a lock this version wrote (empty, garbage, or an old pid-only file). */
  holderPid: number | null;
}

export interface Lock {
  /** The stale lock this acquisition replaced, or null when the lock was free. */
  readonly takenOver: StaleLock | null;
  release(): Promise<void>;
}

/** Who holds a lock: a PID alone is reused (after a reboot, or wrap-around), so the process start and boot join it. */
export interface Holder {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks since boot when the process started. */
  start: string;
  boot: string;
  /** Makes every acquisition's file content unique, so a claim names one lock instance. */
  nonce: string;
}

export function parseHolder(text: string): Holder | null {
  try {
    const { pid, start, boot, nonce } = JSON.parse(text) as Partial<Holder>;
    if (!Number.isInteger(pid) || typeof start !== 'string' || typeof boot !== 'string' || typeof nonce !== 'string') {
      return null;
    }
    return { pid: pid as number, start, boot, nonce };
  } catch {
    return null;
  }
}

/**
 * Whether a lock file's holder still holds it: same boot, and its PID is a process that started when the holder
 * did. `holderStart` is the current start time of the holder's PID (null: no such process).
 */
export function lockVerdict(holder: Holder | null, bootId: string, holderStart: string | null): StaleReason | 'held' {
  if (holder === null) return 'unreadable';
  if (holder.boot !== bootId) return 'other-boot';
  if (holderStart === null) return 'dead';
  return holderStart === holder.start ? 'held' : 'pid-reused';
}

const STALE_TEXT: Record<StaleReason, string> = {
  unreadable: 'the file is empty or not a lock this version wrote',
  dead: 'its process is gone',
  'pid-reused': 'its pid now belongs to another process',
  'other-boot': 'it was taken before the last reboot',
};

/** One line for a log or an alert: which lock was taken over and why. */
export function describeStaleLock(path: string, stale: StaleLock): string {
  const holder = stale.holderPid === null ? '' : ` (pid ${stale.holderPid})`;
  return `took over stale lock ${path}${holder}: ${STALE_TEXT[stale.reason]}`;
}

async function bootId(): Promise<string> {
  return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
}

/** Start time of `pid`, or null when no such process exists. */
async function processStart(pid: number): Promise<string | null> {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    if (isNotFound(err) || errorCode(err) === 'ESRCH') return null;
    throw err;
  }
  // The command name (field 2) is in parentheses and may hold spaces or ')': count fields after the last ')'.
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[22 - 3] ?? null;
}

async function ownHolder(): Promise<Holder> {
  const start = await processStart(process.pid);
  if (start === null) throw new Error('Cannot take a lock: /proc/self/stat is unreadable (Linux /proc is required)');
  return { pid: process.pid, start, boot: await bootId(), nonce: randomBytes(8).toString('hex') };
}

/** A lock or claim file as read: its raw text (what a claim is keyed on) and the verdict on its holder. */
interface Seen {
  text: string;
  holder: Holder | null;
  verdict: StaleReason | 'held';
}

async function readSeen(path: string): Promise<Seen | null> {
  const text = await readTextIfExists(path);
  if (text === null) return null;
  const holder = parseHolder(text);
  return { text, holder, verdict: lockVerdict(holder, await bootId(), holder && (await processStart(holder.pid))) };
}

function claimPath(lockPath: string, seen: Seen): string {
  const key = createHash('sha256').update(seen.text).digest('hex').slice(0, 16);
  return join(dirname(lockPath), `.${basename(lockPath)}.claim-${key}`);
}

function scratchPath(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
}

/** Creates `path` holding `content` only if it does not exist; link() makes the whole content appear at once. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const tmp = scratchPath(path);
  await writeFileAtomic(tmp, content);
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if (errorCode(err) === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Replaces `path`, seen holding the stale `seen`, by `content`. Deleting a stale lock and recreating it races
 * (a slow contender deletes the winner's fresh lock), so only the one process that exclusively creates the claim
 * named after the stale content may replace it; it re-reads the file and replaces it by rename only if it still
 * holds that content. Nobody else can change a file holding stale content, so the re-check stays true. A claim
 * whose claimant died is taken over the same way, one level up. Returns the claims to remove once `path` is ours,
 * or null when another process won.
 */
async function replaceStale(path: string, seen: Seen, content: string, depth = 0): Promise<string[] | null> {
  if (depth > 8) return null;
  const claim = claimPath(path, seen);
  const claims = [claim];
  if (!(await createExclusive(claim, content))) {
    const claimant = await readSeen(claim);
    if (claimant === null) return null;
    // A live claimant is taking the lock over right now: it will hold it.
    if (claimant.verdict === 'held') throw new LockBusyError(path, claimant.holder!.pid);
    const above = await replaceStale(claim, claimant, content, depth + 1);
    if (above === null) return null;
    claims.push(...above);
  }
  const now = await readSeen(path);
  if (now === null || now.text !== seen.text) {
    await Promise.all(claims.map((file) => rm(file, { force: true })));
    return null;
  }
  await writeFileAtomic(path, content);
  return claims;
}

/**
 * Takes an exclusive lock file naming this process by pid, start time and boot id. A lock whose holder is gone
 * (kill -9, a reboot, a reused pid) or that is unreadable is taken over exactly once, logged as a warning, so a
 * crash never blocks later runs. Linux only (/proc).
 */
export async function acquireLock(path: string, options: { log?: Logger } = {}): Promise<Lock> {
  await mkdir(dirname(path), { recursive: true });
  const content = `${JSON.stringify(await ownHolder())}\n`;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusive(path, content)) return heldLock(path, content, null);
    const seen = await readSeen(path);
    if (seen === null) continue;
    if (seen.verdict === 'held') throw new LockBusyError(path, seen.holder!.pid);
    const claims = await replaceStale(path, seen, content);
    if (claims === null) continue;
    await Promise.all(claims.map((file) => rm(file, { force: true })));
    const stale: StaleLock = { reason: seen.verdict, holderPid: seen.holder?.pid ?? null };
    options.log?.warn({ lock: path, ...stale }, describeStaleLock(path, stale));
    return heldLock(path, content, stale);
  }
  throw new Error(`Cannot take lock ${path}: it keeps changing hands`);
}

function heldLock(path: string, content: string, takenOver: StaleLock | null): Lock {
  return {
    takenOver,
    release: async () => {
      // While we live nobody else may change our lock file, so checking then removing is safe.
      if ((await readFile(path, 'utf8').catch(() => '')) === content) await rm(path, { force: true });
    },
  };
}

/** Runs `fn` while holding the lock at `path`. */
export async function withLock<T>(path: string, fn: () => Promise<T>, options: { log?: Logger } = {}): Promise<T> {
  const lock = await acquireLock(path, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
