import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `sampled-stream <argv>` in-process, collecting stdout and stderr. The default environment allows root
 * (as in CI) and passes on the test file's LOG_LEVEL, as a child process would inherit it.
 */
export async function runCli(
  argv: string[],
  env: NodeJS.ProcessEnv = { SAMPLED_STREAM_ALLOW_ROOT: '1', LOG_LEVEL: process.env.LOG_LEVEL },
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await main(argv, { stdout, stderr, env });
  return { code, out, err };
}
