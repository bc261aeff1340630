import { freeBytesAt } from '../../platform/free-space.js';
import { hourStagingDir, lateDir } from '../../contracts/staging-layout.js';
import type { HourManifest } from '../../contracts/hour-manifest.js';
import type { Settings } from '../../config/index.js';
import { folderSize } from '../../platform/folder-size.js';

/** Headroom beyond the hour's own needs: manifests, state files, SHA256SUMS and the day files. */
export const PUBLISH_MARGIN_BYTES = 16 * 1024 * 1024;

/** Free bytes on the filesystem holding a path: platform `freeBytesAt`, or a test's stand-in. */
export type FreeSpaceProbe = (path: string) => Promise<number>;

/**
 * Free bytes an hour needs before `hourly` starts publishing it. xz output is smaller than its staging, but a
 * publication holds temporary files next to the final ones (and the raw archive when `archive_raw`), so twice
 * the bytes it is built from bounds it with room to spare; the margin covers the small files written around it.
 */
export function publishSpaceNeeded(inputBytes: number): number {
  return 2 * inputBytes + PUBLISH_MARGIN_BYTES;
}

/** A folder whose filesystem has too little free space to publish an hour. */
export interface SpaceShortage {
  key: 'paths.vault' | 'paths.staging';
  path: string;
  freeBytes: number;
  neededBytes: number;
}

/**
 * The bytes a publication of hour `hourKey` is built from: its staged chunks and late arrivals, and for a
 * closed hour (whose late tweets are replayed into the published files) those files too.
 */
async function publicationInputBytes(staging: string, hourKey: string, manifest: HourManifest | null): Promise<number> {
  const staged = (await folderSize(hourStagingDir(staging, hourKey))).bytes + (await folderSize(lateDir(staging, hourKey))).bytes;
  if (manifest === null || manifest.closed_at === null) return staged;
  return staged + Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0);
}

/**
 * The first of vault and staging without room to publish hour `hourKey` (first publication, amendment or
 * on-demand run; `manifest` is its current one), or null when both have room.
 */
export async function publishSpaceShortage(
  settings: Settings,
  hourKey: string,
  manifest: HourManifest | null,
  probe: FreeSpaceProbe = freeBytesAt,
): Promise<SpaceShortage | null> {
  const { vault, staging } = settings.paths;
  const neededBytes = publishSpaceNeeded(await publicationInputBytes(staging, hourKey, manifest));
  for (const [key, path] of [['paths.vault', vault], ['paths.staging', staging]] as const) {
    const freeBytes = await probe(path);
    if (freeBytes < neededBytes) return { key, path, freeBytes, neededBytes };
  }
  return null;
}

/** `paths.vault (/srv/vault) has 3 MB free, publishing needs 40 MB`: the shortage in words, for logs and errors. */
export function describeShortage(shortage: SpaceShortage): string {
  const mb = (bytes: number) => bytes / 1024 / 1024;
  const free = Math.floor(mb(shortage.freeBytes));
  return `${shortage.key} (${shortage.path}) has ${free} MB free, publishing needs ${Math.ceil(mb(shortage.neededBytes))} MB`;
}
