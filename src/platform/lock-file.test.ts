import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock, LockBusyError, withLock } from './lock-file.js';
import { tempDir } from '../../test/helpers/tmp.js';

test('acquireLock() refuses a second holder while the first lives', async () => {
  const dir = await tempDir();
  const path = join(dir, 'job.lock');
  const lock = await acquireLock(path);
  await assert.rejects(acquireLock(path), LockBusyError);
  await lock.release();
  await assert.rejects(access(path));
  await withLock(path, async () => assert.rejects(acquireLock(path), LockBusyError));
});

test('acquireLock() takes over a lock left by a dead process (kill -9)', async () => {
  const dir = await tempDir();
  const path = join(dir, 'job.lock');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  await writeFile(path, `${dead.stdout.toString()}\n`);
  const lock = await acquireLock(path);
  await lock.release();
});
