import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../platform/atomic-write.js';

const cacheSchema = z.object({
  format_version: z.literal(1),
  base_url: z.string(),
  project_id: z.string(),
  folders: z.record(z.string(), z.string()),
});

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Path of the folder ID cache, `<state>/osf-folders.json`. */
export function folderCachePath(stateDir: string): string {
  return join(stateDir, 'osf-folders.json');
}

/**
 * OSF folder IDs by remote path ('2026', '2026/11', '2026/11/22'), kept across runs so a folder is found
 * once and never listed again (DESIGN 7). A cache of another project or host is ignored.
 */
export class FolderCache {
  #dirty = false;

  private constructor(
    readonly path: string,
    readonly baseUrl: string,
    readonly projectId: string,
    readonly folders: Map<string, string>,
  ) {}

  /** Loads the cache of `baseUrl`/`projectId`; a missing, unreadable or foreign file gives an empty cache. */
  static async load(stateDir: string, baseUrl: string, projectId: string): Promise<FolderCache> {
    const path = folderCachePath(stateDir);
    const raw = await readFile(path, 'utf8').catch(() => null);
    const parsed = cacheSchema.safeParse(raw === null ? null : parseJsonOrNull(raw));
    const usable = parsed.success && parsed.data.base_url === baseUrl && parsed.data.project_id === projectId;
    return new FolderCache(path, baseUrl, projectId, new Map(usable ? Object.entries(parsed.data.folders) : []));
  }

  /** The cached folder ID of `remoteDir` ('2026/11'), if any. */
  get(remoteDir: string): string | undefined {
    return this.folders.get(remoteDir);
  }

  /** Records the folder ID of `remoteDir`; save() writes it. */
  set(remoteDir: string, folderId: string): void {
    if (this.folders.get(remoteDir) === folderId) return;
    this.folders.set(remoteDir, folderId);
    this.#dirty = true;
  }

  /** Drops `remoteDir` and everything below it (the folder was deleted on OSF). */
  forget(remoteDir: string): void {
    for (const key of [...this.folders.keys()]) {
      if (key === remoteDir || key.startsWith(`${remoteDir}/`)) {
        this.folders.delete(key);
        this.#dirty = true;
      }
    }
  }

  /** Writes the cache atomically if it changed. */
  async save(): Promise<void> {
    if (!this.#dirty) return;
    await writeJsonAtomic(this.path, {
      format_version: 1,
      base_url: this.baseUrl,
      project_id: this.projectId,
      folders: Object.fromEntries([...this.folders].sort(([a], [b]) => a.localeCompare(b))),
    });
    this.#dirty = false;
  }
}
