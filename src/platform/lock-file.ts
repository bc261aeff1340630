import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Another live process holds the lock; callers usually log and exit 0 (the next run will do the work). */
export class LockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly holderPid: number,
  ) {
    super(`Cannot take lock ${path}: held by running process ${holderPid}`);
    this.name = 'LockBusyError';
  }
}

export interface Lock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock file holding our pid. A lock left by a dead process (kill -9) is taken over,
 * so a crash never blocks later runs.
 */
export async function acquireLock(path: string): Promise<Lock> {
  await mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.sync();
      await handle.close();
      return {
        release: async () => {
          const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
          if (holder === process.pid) await rm(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (holder === process.pid || isAlive(holder)) throw new LockBusyError(path, holder);
      await rm(path, { force: true });
    }
  }
  throw new Error(`Cannot take lock ${path}: it keeps reappearing`);
}

/** Runs `fn` while holding the lock at `path`. */
export async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(path);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
