import { copyFile, link, mkdir, rm, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir, fsyncPath } from './atomic-write.js';

/** A free name for `path`: itself, else `path~1`, `path~2`, ... (a quarantined name can arrive twice). */
async function placeFor(source: string, target: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? target : `${target}~${n}`;
    try {
      // link() never replaces an existing name, unlike rename().
      await link(source, candidate);
      return candidate;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code === 'EXDEV') return copyAcross(source, candidate);
      throw err;
    }
  }
}

async function copyAcross(source: string, target: string): Promise<string> {
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? target : `${target}~${n}`;
    try {
      await copyFile(source, candidate, 1 /* COPYFILE_EXCL */);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      await rm(candidate, { force: true });
      throw err;
    }
    await fsyncPath(candidate);
    return candidate;
  }
}

/**
 * Moves `source` to `target` (or a `~N` variant if taken) durably: the new name is fsynced before the old one
 * goes, so a crash leaves the file in one place or both, never in neither. Works across filesystems.
 */
export async function moveFile(source: string, target: string): Promise<string> {
  await mkdir(dirname(target), { recursive: true });
  const placed = await placeFor(source, target);
  await fsyncDir(dirname(placed));
  await unlink(source);
  await fsyncDir(dirname(source));
  return placed;
}
