import { posix } from 'node:path';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { clearInflightRecord, writeInflightRecord } from '../contracts/sync-inflight.js';
import { moveToSent } from './sent-store.js';
import { fileSha256 } from '../platform/file-sha256.js';
import type { SpoolFile } from '../contracts/index.js';
import { TargetExistsError, type Transport } from './transport.js';

/** What pushing one file needs; built once per run by runSync. */
export interface PushContext {
  transport: Transport;
  stateDir: string;
  clock: Clock;
  log: Logger;
  /**
   * Hashes of copies that are ours on server 1: the sent map and the in-flight record left by an earlier run.
   * Read at the start of the run, before this run writes its own in-flight records.
   */
  knownHashes: Readonly<Record<string, string>>;
  /** mkdir -p on the target, remembered for the run (concurrent callers share one call). */
  ensureDir(dir: string): Promise<void>;
}

/** Temporary name of an upload: a dot name in the target folder, which server 1's hourly never reads. */
function uploadTempPath(relativePath: string): string {
  return posix.join(posix.dirname(relativePath), `.${posix.basename(relativePath)}.tmp`);
}

/**
 * Free space below what a write needed plus this margin (blocks, metadata, the other upload in flight) means the
 * write failed for want of space: SFTP reports a full disk only as "Failure".
 */
const NO_SPACE_MARGIN_BYTES = 1024 * 1024;

/**
 * Runs a write of `bytes` to the temporary `tmp` on the target. On failure it removes what the write left (a
 * partial file takes the space server 1 needs) and, when server 1's disk is full, says so and names the folder.
 */
export async function writeTemporary<T>(
  ctx: PushContext,
  what: string,
  tmp: string,
  bytes: number,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (err) {
    const { transport } = ctx;
    await removeQuietly(ctx, tmp);
    const dir = posix.dirname(tmp);
    const free = await transport.freeBytes(dir);
    if (free === null || free >= bytes + NO_SPACE_MARGIN_BYTES) throw err;
    throw new Error(
      `Cannot deliver ${what}: no space left on server 1: ${transport.target}/${dir} has ${free} bytes free, ` +
        `${bytes} needed: free space there, and the next run sends it`,
      { cause: err },
    );
  }
}

/** Uploads to the temporary name while hashing, then checks the size that arrived; returns tmp and sha256. */
async function uploadVerified(
  ctx: PushContext,
  localPath: string,
  relativePath: string,
  bytes: number,
): Promise<{ tmp: string; sha256: string }> {
  const tmp = uploadTempPath(relativePath);
  await ctx.ensureDir(posix.dirname(relativePath));
  const sha256 = await writeTemporary(ctx, localPath, tmp, bytes, async () => {
    const [hash] = await Promise.all([fileSha256(localPath), ctx.transport.upload(localPath, tmp)]);
    const arrived = await ctx.transport.size(tmp);
    if (arrived !== bytes) {
      throw new Error(
        `Cannot deliver ${localPath}: ${ctx.transport.target}/${tmp} has ${arrived ?? 'no'} bytes after upload, ` +
          `expected ${bytes}: the next run uploads it again`,
      );
    }
    return hash;
  });
  return { tmp, sha256 };
}

/** `already-delivered`: found in place after an interrupted run; only the local move was finished. */
export type PushOutcome = 'sent' | 'already-delivered';

/** A file uploaded to its temporary name and checked, waiting to be renamed into place. */
interface StagedFile {
  tmp: string;
  sha256: string;
}

/**
 * Renames an uploaded file into place without ever replacing a file, then moves the local file to
 * `<state>/sent/` (DESIGN 5). A taken name holding our own copy (same size, a hash we recorded) only
 * finishes the local move; anything else there is an error naming both paths.
 */
async function commitFile(ctx: PushContext, file: SpoolFile, { tmp, sha256 }: StagedFile): Promise<PushOutcome> {
  const { transport } = ctx;
  // Recorded before the rename so a crash right after it still lets the next run recognise the copy.
  await writeInflightRecord(ctx.stateDir, { path: file.relativePath, sha256 });
  let outcome: PushOutcome = 'sent';
  try {
    await transport.rename(tmp, file.relativePath, { overwrite: false });
  } catch (err) {
    if (!(err instanceof TargetExistsError)) throw err;
    const existing = await transport.size(file.relativePath);
    if (existing !== file.bytes || ctx.knownHashes[file.relativePath] !== sha256) {
      await clearInflightRecord(ctx.stateDir);
      throw new Error(
        `Cannot deliver ${file.path}: ${transport.target}/${file.relativePath} already exists ` +
          `(${existing ?? '?'} bytes, ours has ${file.bytes}) and is not a copy this server sent: ` +
          'compare the two files, then move one of them aside',
        { cause: err },
      );
    }
    await transport.remove(tmp);
    outcome = 'already-delivered';
  }
  await moveToSent(ctx.stateDir, file.path, file.relativePath, ctx.clock.now());
  ctx.log.debug({ file: file.relativePath, bytes: file.bytes, outcome }, 'file delivered');
  return outcome;
}

/** One file delivered by pushFiles(). */
export interface PushedFile {
  file: SpoolFile;
  sha256: string;
  outcome: PushOutcome;
}

// Two uploads in flight: one file's server-side fsync and rename overlap the next file's transfer.
const UPLOAD_WINDOW = 2;

/**
 * Delivers closed spool files in the given order (oldest first), yielding each once it is in place and moved
 * locally: upload to `.<name>.tmp` while hashing, size check, rename, local move. Uploads run ahead by
 * UPLOAD_WINDOW files; renames happen strictly in order, and the first failure ends the run.
 */
export async function* pushFiles(ctx: PushContext, files: readonly SpoolFile[]): AsyncGenerator<PushedFile> {
  const uploads: Array<Promise<StagedFile>> = [];
  let committed = 0;
  const startUpload = (index: number) => {
    const file = files[index];
    if (file === undefined) return;
    uploads[index] = uploadVerified(ctx, file.path, file.relativePath, file.bytes);
    // Awaited in order below; this only keeps a failure that comes early from being reported as unhandled.
    uploads[index].catch(() => undefined);
  };
  try {
    for (let i = 0; i < UPLOAD_WINDOW; i++) startUpload(i);
    for (const [index, file] of files.entries()) {
      const staged = await uploads[index]!;
      startUpload(index + UPLOAD_WINDOW);
      const outcome = await commitFile(ctx, file, staged);
      committed++;
      yield { file, sha256: staged.sha256, outcome };
    }
  } finally {
    // Never leave an upload running on a transport the caller is about to close.
    const settled = await Promise.allSettled(uploads);
    await removeUncommitted(ctx, settled.slice(committed));
  }
}

/**
 * After a failed run, removes the uploads it staged but did not rename: the space is server 1's, and a copy whose
 * local file goes away would linger. Best effort (the connection may be gone): the next upload replaces them.
 */
async function removeUncommitted(ctx: PushContext, settled: ReadonlyArray<PromiseSettledResult<StagedFile>>): Promise<void> {
  for (const upload of settled) {
    if (upload.status === 'fulfilled') await removeQuietly(ctx, upload.value.tmp);
  }
}

/** Removes a temporary upload after a failure, best effort: the connection may be gone, and the next upload replaces it. */
async function removeQuietly(ctx: PushContext, tmp: string): Promise<void> {
  await ctx.transport.remove(tmp).catch((err: unknown) => ctx.log.debug({ err, tmp }, 'temporary upload not removed'));
}

/** Sends a kept copy again and replaces the remote file on purpose (`sync --resend`); returns its sha256. */
export async function resendFile(ctx: PushContext, localPath: string, relativePath: string, bytes: number): Promise<string> {
  const { tmp, sha256 } = await uploadVerified(ctx, localPath, relativePath, bytes);
  await ctx.transport.rename(tmp, relativePath, { overwrite: true });
  ctx.log.info({ file: relativePath, bytes }, 'file resent');
  return sha256;
}
