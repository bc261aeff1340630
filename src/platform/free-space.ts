import { statfs } from 'node:fs/promises';

/** Free space of one configured folder's filesystem. */
export interface FolderSpace {
  /** Settings key, e.g. 'paths.spool'. */
  key: string;
  path: string;
  freeBytes: number;
}

/** Free bytes on the filesystem holding `path`, as an unprivileged user may use them (`bavail`, not `bfree`). */
export async function freeBytesAt(path: string): Promise<number> {
  const stats = await statfs(path);
  return stats.bavail * stats.bsize;
}

/** Free space of each of the `paths` settings' folders, keyed `paths.<name>`. */
export function folderSpace(paths: Readonly<Record<string, string>>): Promise<FolderSpace[]> {
  return Promise.all(
    Object.entries(paths).map(async ([name, path]) => ({ key: `paths.${name}`, path, freeBytes: await freeBytesAt(path) })),
  );
}
