import { join } from 'node:path';
import { entriesIn, statIfExists } from './optional-files.js';

/** Total bytes of the files under a folder and the newest modification among them (epoch ms). */
export interface FolderSize {
  bytes: number;
  changedMs: number;
}

/** Size of the files under `dir`, recursively; a missing folder (or a file gone meanwhile) counts as empty. */
export async function folderSize(dir: string): Promise<FolderSize> {
  const size: FolderSize = { bytes: 0, changedMs: 0 };
  for (const entry of await entriesIn(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await folderSize(path);
      size.bytes += inner.bytes;
      size.changedMs = Math.max(size.changedMs, inner.changedMs);
      continue;
    }
    const info = await statIfExists(path);
    if (info === null) continue;
    size.bytes += info.size;
    size.changedMs = Math.max(size.changedMs, info.mtimeMs);
  }
  return size;
}
