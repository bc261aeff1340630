import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { describeLzmaBuild, findLzmaBuild, type LzmaBuild } from './lzma-build.js';

describe('describeLzmaBuild()', () => {
  const cases: Array<[string, LzmaBuild, 'PASS' | 'WARN', RegExp]> = [
    ['local -O2 build', { kind: 'local', binary: 'build/Release/lzma_native.node', cflags: '-fPIC -O2' }, 'PASS', /built on this machine with -fPIC -O2/],
    ['local -O3 build', { kind: 'local', binary: 'build/Release/lzma_native.node', cflags: '-O3 -fPIC' }, 'PASS', /-O3/],
    ['local build without CFLAGS', { kind: 'local', binary: 'build/Release/lzma_native.node', cflags: '-fPIC' }, 'WARN', /no optimisation/],
    ['local build, -O0', { kind: 'local', binary: 'build/Release/lzma_native.node', cflags: '-fPIC -O0' }, 'WARN', /no optimisation/],
    ['local build, Makefile gone', { kind: 'local', binary: 'build/Release/lzma_native.node', cflags: null }, 'WARN', /unknown flags/],
    ['prebuilt', { kind: 'prebuilt', binary: 'prebuilds/linux-x64/node.napi.node' }, 'WARN', /prebuilt binary .*1\.46x slower/],
  ];
  for (const [name, build, tag, detail] of cases) {
    it(name, () => {
      const result = describeLzmaBuild(build);
      assert.equal(result.ok, true, 'a slow build never fails check');
      assert.equal(result.warning === true ? 'WARN' : 'PASS', tag);
      assert.match(result.detail, detail);
      if (tag === 'WARN') assert.match(result.fix ?? '', /build-essential python3.*npm run rebuild:lzma/);
    });
  }
});

describe('findLzmaBuild()', () => {
  it('names the addon file lzma-native loads on this install', async () => {
    const build = await findLzmaBuild();
    const packageDir = dirname(createRequire(import.meta.url).resolve('lzma-native/package.json'));
    await access(join(packageDir, build.binary));
    assert.equal(build.kind, build.binary.startsWith('build') ? 'local' : 'prebuilt');
  });
});
