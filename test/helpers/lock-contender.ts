// Race helper for lock-file.test.ts: prints "ready", waits for a "go" line on stdin, then tries to take the
// lock at argv[2] and prints "won" or "busy". A won lock is kept until stdin closes.
import { createInterface } from 'node:readline';
import { acquireLock, LockBusyError } from '../../src/platform/lock-file.js';

const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
for await (const line of lines) {
  if (line !== 'go') continue;
  try {
    await acquireLock(process.argv[2]!);
    process.stdout.write('won\n');
  } catch (err) {
    if (!(err instanceof LockBusyError)) throw err;
    process.stdout.write('busy\n');
  }
}
