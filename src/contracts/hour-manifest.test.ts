import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/tmp.js';
import { listManifestHours, ManifestCache, readManifest, writeManifest, type HourManifest } from './hour-manifest.js';
import { manifestPath, manifestsDir } from './staging-layout.js';

const file = { name: 'x', sha256: '0'.repeat(64), bytes: 1 };
const manifest = (hour: string): HourManifest => ({
  format_version: 1,
  hour,
  label: `${hour.slice(0, 10)}_${hour.slice(11)}`,
  version: 1,
  first_published_at: '2026-11-22T11:06:00.000Z',
  published_at: '2026-11-22T11:06:00.000Z',
  counts: { serv1: 1, serv2: 1, total: 1, only1: 0, only2: 0, diff: 0, late: 0 },
  ids_digest: '1'.repeat(64),
  files: { ids: file, tweets: file, users: file },
  first_chunks: ['server1/2026-11-22T10-00Z.jsonl'],
  chunks: ['server1/2026-11-22T10-00Z.jsonl'],
  closed_at: null,
});

describe('hour manifests', () => {
  it('writeManifest(), readManifest() and listManifestHours() round-trip; a missing manifest is null', async () => {
    const staging = await tempDir();
    assert.deepEqual(await listManifestHours(staging), []);
    await writeManifest(staging, manifest('2026-11-22T11'));
    await writeManifest(staging, manifest('2026-11-22T09'));
    await writeFile(`${manifestsDir(staging)}/.2026-11-22T12.json.1.tmp`, '{');
    assert.deepEqual(await listManifestHours(staging), ['2026-11-22T09', '2026-11-22T11']);
    assert.deepEqual(await readManifest(staging, '2026-11-22T09'), manifest('2026-11-22T09'));
    assert.equal(await readManifest(staging, '2026-11-22T10'), null);
    const cache = new ManifestCache(staging);
    assert.equal((await cache.get('2026-11-22T11'))?.version, 1);
  });

  it('readManifest() names the hour when a manifest cannot be read', async () => {
    const staging = await tempDir();
    await mkdir(manifestsDir(staging), { recursive: true });
    await writeFile(manifestPath(staging, '2026-11-22T10'), '{broken');
    await assert.rejects(readManifest(staging, '2026-11-22T10'), /Cannot read manifest of hour 2026-11-22T10/);
  });
});
