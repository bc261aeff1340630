import { freeBytesAt } from '../../platform/free-space.js';
import { hourStagingDir } from '../../contracts/staging-layout.js';
import type { Settings } from '../../config/index.js';
import { folderSize } from '../../platform/folder-size.js';

/** Headroom beyond the hour's own needs: manifests, state files, SHA256SUMS and the day files. */
export const PUBLISH_MARGIN_BYTES = 16 * 1024 * 1024;

/**
 * Free bytes an hour needs before `hourly` starts publishing it. xz output is smaller than its staging, but a
 * publication holds temporary files next to the final ones (and the raw archive when `archive_raw`), so twice
 * the staged bytes bounds it with room to spare; the margin covers the small files written around it.
 */
export function publishSpaceNeeded(stagingBytes: number): number {
  return 2 * stagingBytes + PUBLISH_MARGIN_BYTES;
}

/** A folder whose filesystem has too little free space to publish an hour. */
export interface SpaceShortage {
  key: 'paths.vault' | 'paths.staging';
  path: string;
  freeBytes: number;
  neededBytes: number;
}

/** The first of vault and staging without room for hour `hourKey`, or null when both have room. */
export async function publishSpaceShortage(settings: Settings, hourKey: string): Promise<SpaceShortage | null> {
  const { vault, staging } = settings.paths;
  const neededBytes = publishSpaceNeeded((await folderSize(hourStagingDir(staging, hourKey))).bytes);
  for (const [key, path] of [['paths.vault', vault], ['paths.staging', staging]] as const) {
    const freeBytes = await freeBytesAt(path);
    if (freeBytes < neededBytes) return { key, path, freeBytes, neededBytes };
  }
  return null;
}
