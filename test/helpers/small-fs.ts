import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/**
 * A real filesystem of `sizeMb`, unmounted and removed when the test file ends (its own folder: a tempDir's
 * cleanup would run before the unmount). Mounting needs root, which is how npm test runs here and in CI.
 */
export async function mountSmallTmpfs(sizeMb: number): Promise<string> {
  if (process.getuid?.() !== 0) {
    throw new Error(`mounting a tmpfs needs root (uid ${process.getuid?.()}): run this test as root, as npm test does in CI`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'sampled-stream-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir]);
  after(async () => {
    execFileSync('umount', [dir]);
    await rmdir(dir);
  });
  return dir;
}

/** Writes `path` until its filesystem is full (ENOSPC). */
export async function fillToEnospc(path: string): Promise<void> {
  const handle = await open(path, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) await handle.write(block);
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    await handle.close();
  }
}
