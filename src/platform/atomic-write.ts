import { close, createWriteStream, fsync, open as openFd, type WriteStream } from 'node:fs';
import { promisify } from 'node:util';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { namesIn } from './optional-files.js';

/** Temporary name in the same folder: starts with '.', so spool readers and sync skip it. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

const TEMPORARY_NAME = /^\..+\.\d+\.[0-9a-f]{8}\.tmp$/;

/** True for a file name temporaryPathFor() makes: an unfinished write, or one whose process died (kill -9). */
export function isTemporaryName(name: string): boolean {
  return TEMPORARY_NAME.test(name);
}

/**
 * Removes the temporary files that writers killed mid-write left in `dir` (only those of the file `of`, if
 * given). Only for a caller that is the one writer there, holding its lock: no temporary file is live then.
 */
export async function removeLeftoverTemporaries(dir: string, of?: string): Promise<void> {
  const prefix = of === undefined ? '.' : `.${of}.`;
  for (const name of await namesIn(dir)) {
    if (name.startsWith(prefix) && isTemporaryName(name)) await rm(join(dir, name), { force: true });
  }
}

/**
 * fsyncs the file or folder at `path`; fsync applies to the file whichever descriptor asks, so errors such as
 * ENOSPC surface here.
 */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsyncs a folder so a rename inside it survives a power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  await fsyncPath(dir);
}

export interface AtomicWriteOptions {
  /** File mode of the new file. @default 0o644 */
  mode?: number;
}

/** Writes `data` to `path` so that a reader sees the old file or the whole new one, never a part. */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const { mode = 0o644 } = options;
  await mkdir(dirname(path), { recursive: true });
  const tmp = temporaryPathFor(path);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    // fsync before rename, or a crash can leave an empty file under the final name.
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw withPath(err, path);
  }
  await handle.close();
  await commitRename(tmp, path);
}

/**
 * Write and fsync errors (ENOSPC above all) carry no path: name the file, so the one-line failure report says
 * which file system to free space on.
 */
function withPath(err: unknown, path: string): unknown {
  if (err instanceof Error && (err as NodeJS.ErrnoException).path === undefined) Object.assign(err, { path });
  return err;
}

async function commitRename(tmp: string, path: string): Promise<void> {
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dirname(path));
}

/** A large file written as a stream and published atomically by commit(). */
export interface AtomicFileWriter {
  readonly stream: WriteStream;
  readonly tmpPath: string;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

const openRawFd = promisify(openFd);
const fsyncFd = promisify(fsync);
const closeFd = promisify(close);

/** Opens a streamed atomic write to `path`; nothing is visible under `path` until commit(). */
export async function openAtomicWriter(path: string, options: AtomicWriteOptions = {}): Promise<AtomicFileWriter> {
  const { mode = 0o644 } = options;
  await mkdir(dirname(path), { recursive: true });
  const tmpPath = temporaryPathFor(path);
  // A numeric fd, not a FileHandle: a FileHandle lent to a stream cannot be closed while the stream holds it.
  const fd = await openRawFd(tmpPath, 'wx', mode);
  const stream = createWriteStream('', { fd, autoClose: false, highWaterMark: 1 << 20 });
  let finished = false;
  return {
    stream,
    tmpPath,
    async commit() {
      if (finished) throw new Error(`Cannot commit ${path}: the writer is already closed`);
      finished = true;
      if (!stream.writableFinished) {
        stream.end();
        await once(stream, 'finish');
      }
      await fsyncFd(fd);
      await closeFd(fd);
      await commitRename(tmpPath, path);
    },
    async abort() {
      if (finished) return;
      finished = true;
      // Let pending writes settle before closing the fd they write to.
      if (!stream.writableFinished && !stream.destroyed) {
        stream.end();
        await once(stream, 'finish').catch(() => undefined);
      }
      await closeFd(fd).catch(() => undefined);
      await rm(tmpPath, { force: true });
    },
  };
}

/** Writes a JSON state file atomically (pretty, with a trailing newline). */
export async function writeJsonAtomic(path: string, value: unknown, options: AtomicWriteOptions = {}): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', options);
}
