// The CLI as the benchmarks run it: compiled as `npm run build` does, so that what is measured is built
// JavaScript, as in production (tsx's loader alone costs about 1% of a core when idle and some 50 MB of RSS).
// `npm run bench` builds it once and hands it to every step through BENCH_CLI_MAIN.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const CLI_MAIN_ENV = 'BENCH_CLI_MAIN';

const REPO = join(import.meta.dirname, '..');
const BUILD_DIR = join(REPO, '.bench-tmp', 'cli');

/**
 * The built CLI's main.js: the one named by BENCH_CLI_MAIN, or one compiled now into .bench-tmp/cli. Type
 * errors elsewhere in the tree do not stop the emit, so they only get a note.
 */
export function builtCli(): string {
  const given = process.env[CLI_MAIN_ENV];
  if (given !== undefined && existsSync(given)) return given;
  mkdirSync(BUILD_DIR, { recursive: true });
  // The built tree reads its version from package.json one level above dist/, as in the repository.
  copyFileSync(join(REPO, 'package.json'), join(BUILD_DIR, 'package.json'));
  const tsc = join(REPO, 'node_modules', '.bin', 'tsc');
  const result = spawnSync(tsc, ['-p', 'tsconfig.build.json', '--outDir', join(BUILD_DIR, 'dist')], { cwd: REPO, encoding: 'utf8' });
  const main = join(BUILD_DIR, 'dist', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error(`Cannot build the CLI for the benchmark:\n${result.stdout}${result.stderr}`);
  if (result.status !== 0) console.log('note: the build reported type errors; the CLI was emitted and is measured');
  return main;
}
