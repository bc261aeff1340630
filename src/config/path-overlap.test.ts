import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describeOverlap, pathOverlaps, realPathOfExisting } from './path-overlap.js';
import { tempDir } from '../../test/helpers/tmp.js';

const apart = { spool: '/a/spool', staging: '/a/staging', state: '/a/state', vault: '/a/vault' };

const cases: Array<{ name: string; paths: typeof apart; expected: string[] }> = [
  { name: 'four sibling folders', paths: apart, expected: [] },
  { name: 'a name that extends another', paths: { ...apart, vault: '/a/spool2' }, expected: [] },
  { name: 'a sibling named like a parent reference', paths: { ...apart, vault: '/a/spool/..vault' }, expected: ['inside paths.vault paths.spool'] },
  { name: 'vault inside spool', paths: { ...apart, vault: '/a/spool/vault' }, expected: ['inside paths.vault paths.spool'] },
  { name: 'spool inside state', paths: { ...apart, spool: '/a/state/spool' }, expected: ['inside paths.spool paths.state'] },
  { name: 'equal folders', paths: { ...apart, staging: '/a/state' }, expected: ['equal paths.staging paths.state'] },
  { name: 'equal after normalizing', paths: { ...apart, vault: '/a/x/../spool/' }, expected: ['equal paths.spool paths.vault'] },
  {
    name: 'everything in one folder',
    paths: { spool: '/a', staging: '/a/staging', state: '/a/state', vault: '/a/vault' },
    expected: ['inside paths.staging paths.spool', 'inside paths.state paths.spool', 'inside paths.vault paths.spool'],
  },
  { name: 'a root folder holds all', paths: { ...apart, state: '/' }, expected: ['inside paths.spool paths.state', 'inside paths.staging paths.state', 'inside paths.vault paths.state'] },
];

for (const { name, paths, expected } of cases) {
  test(`pathOverlaps(): ${name}`, () => {
    assert.deepEqual(
      pathOverlaps(paths).map((o) => `${o.relation} ${o.keys.join(' ')}`),
      expected,
    );
  });
}

test('describeOverlap() names both keys, both values and the fix', () => {
  const [overlap] = pathOverlaps({ ...apart, vault: '/a/spool/vault' });
  assert.equal(
    `'${overlap!.keys[0]}' ${describeOverlap(overlap!)}`,
    `'paths.vault' is inside paths.spool ("/a/spool/vault" and "/a/spool"): give each its own folder, e.g. /var/lib/sampled-stream/{spool,staging,state,vault}`,
  );
  const [linked] = pathOverlaps(apart, { ...apart, vault: '/a/spool/v' });
  assert.match(describeOverlap(linked!), /\("\/a\/vault" and "\/a\/spool", through symlinks "\/a\/spool\/v" and "\/a\/spool"\)/);
});

test('realPathOfExisting() resolves the symlinks of the existing part and keeps the rest as written', async () => {
  const dir = await tempDir();
  const real = await realPathOfExisting(dir);
  await mkdir(join(dir, 'spool'));
  await symlink(join(dir, 'spool'), join(dir, 'link'));
  assert.equal(await realPathOfExisting(join(dir, 'link')), join(real, 'spool'));
  assert.equal(await realPathOfExisting(join(dir, 'link', 'vault', 'deeper')), join(real, 'spool', 'vault', 'deeper'));
  assert.equal(await realPathOfExisting(join(dir, 'missing', 'x')), join(real, 'missing', 'x'));
});
