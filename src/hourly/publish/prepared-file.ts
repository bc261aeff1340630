import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { fsyncPath, openAtomicWriter } from '../../platform/atomic-write.js';

/** A file written and fsynced under its temporary name, made visible by commit(). */
export interface PreparedFile {
  sha256: string;
  bytes: number;
  commit(): Promise<void>;
  abort(): Promise<void>;
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
