import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../platform/clock.js';

/** Child processes of the demo and the soak: started from this package's own entry points, logs to files. */

/**
 * Node arguments that run `module` (a path under src/ without extension, e.g. `cli/main`): the TypeScript
 * source under tsx when this module runs from source (npm run demo), else the build.
 */
export function entryArgs(module: string): string[] {
  const fromSource = import.meta.url.endsWith('.ts');
  const path = fileURLToPath(new URL(`../${module}.${fromSource ? 'ts' : 'js'}`, import.meta.url));
  return fromSource ? ['--import', 'tsx', path] : [path];
}

/** Spawns `node <args>` with stdout and stderr appended to `logFile`. */
export function spawnLogged(args: string[], logFile: string): ChildProcess {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' },
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

/** `sampled-stream stream --config FILE` as a child process. */
export function spawnStreamDaemon(configPath: string, logFile: string): ChildProcess {
  return spawnLogged([...entryArgs('cli/main'), 'stream', '--config', configPath], logFile);
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM (or `signal`) and wait for the exit; nothing when it already ended. */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!isRunning(child)) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** Polls `condition` every 200 ms of real time; throws naming `what` after `timeoutMs`. */
export async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Stopped: ${what} did not happen within ${timeoutMs / 1000} s`);
    await systemClock.sleep(200);
  }
}
