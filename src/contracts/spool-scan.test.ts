import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/tmp.js';
import { scanSpool } from './spool-scan.js';

describe('scanSpool()', () => {
  it('scanSpool() lists spool files in copy order, skips dot names and open minutes, and reports anything else as foreign', async () => {
    const spool = await tempDir();
    const hour = join(spool, 'server1', '2026-11-22', '10');
    await mkdir(hour, { recursive: true });
    await mkdir(join(spool, 'server2', '.state'), { recursive: true });
    for (const name of ['2026-11-22T10-05Z_10.jsonl', '2026-11-22T10-05Z_2.jsonl', '2026-11-22T10-05Z.jsonl', '2026-11-22T10-01Z.jsonl']) {
      await writeFile(join(hour, name), '');
    }
    await writeFile(join(hour, '2026-11-22T10-06Z.jsonl.part'), '');
    await writeFile(join(hour, '.2026-11-22T10-07Z.jsonl.1234.tmp'), '');
    await writeFile(join(spool, 'server2', '.state', 'sync-state.json'), '{}');
    await writeFile(join(hour, 'README'), '');
    await writeFile(join(hour, '2026-11-22T10-61Z.jsonl'), '');
    await symlink('/etc/hostname', join(hour, '2026-11-22T10-09Z.jsonl'));
    await writeFile(join(hour, '2026-11-22T11-00Z.jsonl'), '');
    await writeFile(join(spool, 'server1', '2026-11-22', '2026-11-22T10-10Z.jsonl'), '');
    await writeFile(join(hour, '2026-11-22T10-11Z_0.jsonl'), '');
    const scan = await scanSpool(spool);
    assert.deepEqual(scan.files.map((f) => f.name), [
      '2026-11-22T10-01Z.jsonl',
      '2026-11-22T10-05Z.jsonl',
      '2026-11-22T10-05Z_2.jsonl',
      '2026-11-22T10-05Z_10.jsonl',
    ]);
    assert.equal(scan.files[0]!.relativePath, join('server1', '2026-11-22', '10', '2026-11-22T10-01Z.jsonl'));
    assert.deepEqual(scan.foreign.map((f) => f.relativePath).sort(), [
      'server1/2026-11-22/10/2026-11-22T10-09Z.jsonl',
      'server1/2026-11-22/10/2026-11-22T10-11Z_0.jsonl',
      'server1/2026-11-22/10/2026-11-22T10-61Z.jsonl',
      'server1/2026-11-22/10/2026-11-22T11-00Z.jsonl',
      'server1/2026-11-22/10/README',
      'server1/2026-11-22/2026-11-22T10-10Z.jsonl',
    ]);
  });
});
