import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { openAtomicWriter } from '../../platform/atomic-write.js';

/** A file written and fsynced under its temporary name, made visible by commit(). */
export interface PreparedFile {
  sha256: string;
  bytes: number;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** fsyncs the file at `path`; fsync applies to the file whichever descriptor asks, so errors such as ENOSPC surface here. */
export async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to a temporary name beside `path` and fsyncs it; nothing is visible at `path` until commit(). */
export async function prepareFile(path: string, data: string | Buffer): Promise<PreparedFile> {
  const writer = await openAtomicWriter(path);
  try {
    writer.stream.end(data);
    await once(writer.stream, 'finish');
    await fsyncPath(writer.tmpPath);
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return {
    sha256: createHash('sha256').update(data).digest('hex'),
    bytes: Buffer.byteLength(data),
    commit: () => writer.commit(),
    abort: () => writer.abort(),
  };
}
