import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import lzma from 'lzma-native';
import { openAtomicWriter } from '../../platform/atomic-write.js';
import { fsyncPath } from '../../platform/atomic-write.js';

/** Compression settings of one file (DESIGN 6: xz format, preset, multi-threaded with fixed-size blocks). */
export interface XzOptions {
  preset: number;
  /** Encoder threads (each preset-6 thread takes about 94 MB). */
  threads: number;
  blockBytes: number;
}

/** Size and hash of a finished file. */
export interface FileDigest {
  sha256: string;
  bytes: number;
}

/**
 * An xz file being written under a temporary name: write(), then finish() (compressed, hashed and fsynced, still
 * invisible), then commit() (renamed into place). Several files can be finished before any is committed, so a
 * failure such as a full disk leaves every previous file in place.
 */
export interface XzFile {
  write(data: string | Buffer): Promise<void>;
  finish(): Promise<FileDigest>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Opens an xz file at `path` (nothing visible there until commit()). */
export async function openXzFile(path: string, options: XzOptions): Promise<XzFile> {
  const writer = await openAtomicWriter(path);
  const compressor = lzma.createCompressor({
    preset: options.preset,
    threads: Math.max(1, options.threads),
    blockSize: options.blockBytes,
    check: lzma.CHECK_CRC64,
  });
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const done = pipeline(compressor, tap, writer.stream);
  // Observed by finish() or abort(); an early failure must not be an unhandled rejection meanwhile.
  done.catch(() => undefined);
  return {
    async write(data) {
      if (!compressor.write(data)) await Promise.race([once(compressor, 'drain'), done]);
    },
    async finish() {
      compressor.end();
      await done;
      await fsyncPath(writer.tmpPath);
      return { sha256: hash.digest('hex'), bytes };
    },
    commit: () => writer.commit(),
    async abort() {
      compressor.destroy();
      await done.catch(() => undefined);
      await writer.abort();
    },
  };
}
