import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { acquireLock, LockBusyError, lockVerdict, parseHolder, withLock, type Holder } from './lock-file.js';
import type { Logger } from './logger.js';
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

const holder: Holder = { pid: 4242, start: '1000', boot: 'boot-a', nonce: 'n' };
const verdicts: Array<{ name: string; holder: Holder | null; boot: string; start: string | null; expected: string }> = [
  { name: 'same process, same boot', holder, boot: 'boot-a', start: '1000', expected: 'held' },
  { name: 'no such pid', holder, boot: 'boot-a', start: null, expected: 'dead' },
  { name: 'pid reused by a later process', holder, boot: 'boot-a', start: '2000', expected: 'pid-reused' },
  { name: 'written before a reboot, even with a matching start', holder, boot: 'boot-b', start: '1000', expected: 'other-boot' },
  { name: 'empty, garbage or old pid-only file', holder: null, boot: 'boot-a', start: '1000', expected: 'unreadable' },
];

for (const { name, holder: h, boot, start, expected } of verdicts) {
  test(`lockVerdict(): ${name} -> ${expected}`, () => assert.equal(lockVerdict(h, boot, start), expected));
}

test('parseHolder() reads only complete lock files of this version', () => {
  assert.deepEqual(parseHolder(`${JSON.stringify(holder)}\n`), holder);
  for (const text of ['', '4242\n', '{"pid":4242}', 'garbage']) assert.equal(parseHolder(text), null, text);
});

async function ownBoot(): Promise<string> {
  return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
}

test('acquireLock() takes over a lock whose pid now belongs to another live process, and logs it', async (t) => {
  const dir = await tempDir();
  const path = join(dir, 'job.lock');
  const other = spawn('sleep', ['30'], { stdio: 'ignore' });
  t.after(() => other.kill());
  const reused = { pid: other.pid!, start: '1', boot: await ownBoot(), nonce: 'old' };
  await writeFile(path, `${JSON.stringify(reused)}\n`);
  const warnings: string[] = [];
  const log = { warn: (_fields: unknown, message: string) => warnings.push(message) } as unknown as Logger;
  const lock = await acquireLock(path, { log });
  assert.deepEqual(lock.takenOver, { reason: 'pid-reused', holderPid: other.pid });
  assert.match(warnings.join('\n'), /took over stale lock .*job\.lock \(pid \d+\): its pid now belongs to another process/);
  assert.equal(parseHolder(await readFile(path, 'utf8'))?.pid, process.pid);
  await assert.rejects(acquireLock(path), LockBusyError);
  await lock.release();
});

test('acquireLock() takes over an empty lock file (old format) as unreadable', async () => {
  const dir = await tempDir();
  const path = join(dir, 'job.lock');
  await writeFile(path, '');
  const lock = await acquireLock(path);
  assert.deepEqual(lock.takenOver, { reason: 'unreadable', holderPid: null });
  await lock.release();
});

test('acquireLock(): of six processes released together on a stale lock, exactly one wins', async (t) => {
  const dir = await tempDir();
  const path = join(dir, 'job.lock');
  await writeFile(path, `${JSON.stringify({ ...holder, boot: 'a-boot-long-gone' })}\n`);
  const helper = fileURLToPath(new URL('../../test/helpers/lock-contender.ts', import.meta.url));
  const contenders = Array.from({ length: 6 }, () => {
    const child = spawn(process.execPath, ['--import', 'tsx', helper, path], { stdio: ['pipe', 'pipe', 'inherit'] });
    t.after(() => child.kill());
    return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() };
  });
  const nextLine = async (c: (typeof contenders)[number]) => String((await c.lines.next()).value);
  assert.deepEqual(await Promise.all(contenders.map(nextLine)), Array(6).fill('ready'));
  for (const { child } of contenders) child.stdin.write('go\n');
  const outcomes = await Promise.all(contenders.map(nextLine));
  assert.deepEqual(outcomes.filter((o) => o === 'won').length, 1, outcomes.join(' '));
  assert.deepEqual(outcomes.filter((o) => o === 'busy').length, 5, outcomes.join(' '));
  const winner = contenders[outcomes.indexOf('won')]!.child.pid;
  assert.equal(parseHolder(await readFile(path, 'utf8'))?.pid, winner);
  assert.deepEqual((await readdir(dir)).sort(), ['job.lock'], 'no claim or scratch file is left');
  for (const { child } of contenders) child.stdin.end();
});
