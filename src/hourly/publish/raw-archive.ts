import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { ChunkRef } from '../../contracts/copy-index.js';
import { namesIn } from '../../platform/optional-files.js';
import type { PreparedFile } from './prepared-file.js';
import { hourStagingDir, OTHER_SUFFIX, SERVERS } from '../../contracts/staging-layout.js';
import { openXzFile, type XzOptions } from './xz-file.js';

/**
 * The staging files whose lines make up an hour's raw archive (DESIGN 3.3 `archive_raw`): every chunk (each
 * copy of each tweet of the hour, both servers), then the lines that are not tweets received in the hour.
 */
export async function rawArchiveSources(staging: string, hourKey: string, chunks: readonly ChunkRef[]): Promise<string[]> {
  const sources = chunks.map((chunk) => chunk.dataPath);
  for (const server of SERVERS) {
    const dir = join(hourStagingDir(staging, hourKey), server);
    const other = (await namesIn(dir)).filter((name) => !name.startsWith('.') && name.endsWith(OTHER_SUFFIX)).sort();
    sources.push(...other.map((name) => join(dir, name)));
  }
  return sources;
}

/** Compresses `sources`, one after another, into the raw archive at `path` (prepared, not yet visible). */
export async function writeRawArchive(path: string, sources: readonly string[], options: XzOptions): Promise<PreparedFile> {
  const file = await openXzFile(path, options);
  try {
    for (const source of sources) for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20 })) await file.write(chunk as Buffer);
    const digest = await file.finish();
    return { ...digest, commit: () => file.commit(), abort: () => file.abort() };
  } catch (err) {
    await file.abort();
    throw err;
  }
}
