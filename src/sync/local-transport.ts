import { copyFile, link, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fsyncDir, fsyncPath } from '../platform/atomic-write.js';
import { freeBytesAt } from '../platform/free-space.js';
import { isNotFound } from '../platform/fs-errors.js';
import { TargetExistsError, type Transport } from './transport.js';

/** Transport `local` (DESIGN 5): files land in the folder `root` (`sync.local_target`), fsynced, renamed. */
export function createLocalTransport(root: string): Transport {
  const at = (path: string) => join(root, path);
  return {
    target: root,
    async mkdirp(dir) {
      await mkdir(at(dir), { recursive: true });
    },
    async upload(localPath, path) {
      await copyFile(localPath, at(path));
      await fsyncPath(at(path));
    },
    async size(path) {
      try {
        return (await stat(at(path))).size;
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async rename(from, to, { overwrite }) {
      if (overwrite) {
        await rename(at(from), at(to));
      } else {
        // link() fails with EEXIST instead of replacing, which rename() would do silently.
        try {
          await link(at(from), at(to));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new TargetExistsError(root, to);
          throw err;
        }
        await unlink(at(from));
      }
      await fsyncDir(dirname(at(to)));
    },
    async writeFile(path, data) {
      const handle = await open(at(path), 'w', 0o644);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async readFile(path) {
      try {
        return await readFile(at(path));
      } catch (err) {
        if (isNotFound(err)) return null;
        throw err;
      }
    },
    async list(dir) {
      try {
        return await readdir(at(dir));
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    },
    async freeBytes(dir) {
      return freeBytesAt(at(dir)).catch(() => null);
    },
    async remove(path) {
      await rm(at(path), { force: true });
    },
    async close() {},
  };
}
