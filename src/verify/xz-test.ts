import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs the real `xz -t` on a file (no shell); returns null when it passes, else xz's complaint. */
export async function xzTest(path: string): Promise<string | null> {
  try {
    await run('xz', ['-t', '--', path]);
    return null;
  } catch (err) {
    const failure = err as NodeJS.ErrnoException & { stderr?: string };
    if (failure.code === 'ENOENT') throw new Error('Cannot run xz -t: the xz program is not installed: install xz-utils', { cause: err });
    const stderr = (failure.stderr ?? '').trim().split('\n')[0] ?? '';
    return stderr === '' ? failure.message : stderr;
  }
}
