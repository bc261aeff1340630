import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { pass, warn, type CheckResult } from './check-result.js';

/** Which native liblzma the xz compression of `hourly` (and `hydrate --csv`) loads. */
export type LzmaBuild =
  | { kind: 'prebuilt'; binary: string }
  | { kind: 'local'; binary: string; cflags: string | null };

const REBUILD_FIX = 'apt-get install -y build-essential python3, then npm run rebuild:lzma in the install folder';

/**
 * lzma-native's prebuilt binary and a local build without CFLAGS both compile liblzma without optimisation;
 * `npm ci` rebuilds it with -O2 (package.json postinstall), which compresses about 1.46x faster (DESIGN 13).
 */
export function describeLzmaBuild(build: LzmaBuild): CheckResult {
  const name = 'xz library';
  if (build.kind === 'prebuilt') {
    return warn(name, `lzma-native's prebuilt binary (${build.binary}), about 1.46x slower to compress`, REBUILD_FIX);
  }
  if (build.cflags !== null && /(^|\s)-O[23s](\s|$)/.test(build.cflags)) {
    return pass(name, `liblzma built on this machine with ${build.cflags} (${build.binary})`);
  }
  const flags = build.cflags === null ? 'unknown flags' : `CFLAGS "${build.cflags}", no optimisation`;
  return warn(name, `liblzma built on this machine with ${flags} (${build.binary}), slower to compress`, REBUILD_FIX);
}

/** Resolves the addon the way lzma-native does (node-gyp-build: build/Release first, then prebuilds/). */
export async function findLzmaBuild(): Promise<LzmaBuild> {
  const requireHere = createRequire(import.meta.url);
  const packageDir = dirname(requireHere.resolve('lzma-native/package.json'));
  const requireThere = createRequire(join(packageDir, 'package.json'));
  const resolveAddon = requireThere('node-gyp-build').path as (dir: string) => string;
  const binary = relative(packageDir, resolveAddon(packageDir));
  if (!binary.startsWith('build')) return { kind: 'prebuilt', binary };
  const makefile = await readFile(join(packageDir, 'build/liblzma/Makefile'), 'utf8').catch(() => '');
  return { kind: 'local', binary, cflags: /^CFLAGS = (.*)$/m.exec(makefile)?.[1].trim() ?? null };
}

export async function checkLzmaBuild(): Promise<CheckResult> {
  return describeLzmaBuild(await findLzmaBuild());
}
