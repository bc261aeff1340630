import assert from 'node:assert/strict';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/tmp.js';
import { classifySpoolPath, removeEmptyHourDirs, scanSpool } from './spool-scan.js';

const MINUTE = Date.parse('2026-11-22T06:27:00Z');

describe('classifySpoolPath()', () => {
  const cases: Array<[string, string]> = [
    ['server2/2026-11-22/06/2026-11-22T06-27Z.jsonl', 'closed'],
    ['server2/2026-11-22/06/2026-11-22T06-27Z_2.jsonl', 'closed'],
    ['server2/2026-11-22/06/2026-11-22T06-27Z.jsonl.part', 'open'],
    ['server2/2026-11-22/06/.2026-11-22T06-27Z.jsonl.tmp', 'hidden'],
    ['server2/.state/sync-state.json', 'hidden'],
    ['server2/2026-11-22/06/notes.txt', 'foreign'],
    ['server2/2026-11-22/07/2026-11-22T06-27Z.jsonl', 'foreign'],
    ['server2/2026-11-22/2026-11-22T06-27Z.jsonl', 'foreign'],
    ['server2/2026-11-22/06/2026-11-22T06-27Z_0.jsonl', 'foreign'],
    ['server2/2026-11-22/06/2026-11-22T06-61Z.jsonl', 'foreign'],
    ['server1/2026-11-22/06/2026-11-22T06-27Z.jsonl', 'foreign'],
  ];
  for (const [path, kind] of cases) {
    it(`calls ${path} '${kind}'`, () => {
      assert.equal(classifySpoolPath('server2', path).kind, kind);
    });
  }

  it('gives the minute and segment of a closed file', () => {
    assert.deepEqual(classifySpoolPath('server2', 'server2/2026-11-22/06/2026-11-22T06-27Z_3.jsonl'), {
      kind: 'closed',
      minuteStartMs: MINUTE,
      segment: 3,
    });
  });
});

describe('scanSpool()', () => {
  it('lists closed files oldest first (minute, then segment) and reports foreign ones', async () => {
    const spool = await tempDir();
    const files: Record<string, string> = {
      'server2/2026-11-22/07/2026-11-22T07-00Z.jsonl': 'c',
      'server2/2026-11-22/06/2026-11-22T06-27Z_1.jsonl': 'bb',
      'server2/2026-11-22/06/2026-11-22T06-27Z.jsonl': 'a',
      'server2/2026-11-21/23/2026-11-21T23-59Z.jsonl': 'zzzz',
      'server2/2026-11-22/07/2026-11-22T07-01Z.jsonl.part': 'open',
      'server2/2026-11-22/07/.2026-11-22T07-00Z.jsonl.tmp': 'tmp',
      'server2/2026-11-22/07/core': 'foreign',
    };
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(spool, path)), { recursive: true });
      await writeFile(join(spool, path), content);
    }
    const scan = await scanSpool(spool, 'server2');
    assert.deepEqual(
      scan.files.map((f) => [f.relativePath, f.bytes]),
      [
        ['server2/2026-11-21/23/2026-11-21T23-59Z.jsonl', 4],
        ['server2/2026-11-22/06/2026-11-22T06-27Z.jsonl', 1],
        ['server2/2026-11-22/06/2026-11-22T06-27Z_1.jsonl', 2],
        ['server2/2026-11-22/07/2026-11-22T07-00Z.jsonl', 1],
      ],
    );
    assert.equal(scan.files[1]!.path, join(spool, 'server2/2026-11-22/06/2026-11-22T06-27Z.jsonl'));
    assert.deepEqual(scan.foreign, ['server2/2026-11-22/07/core']);
  });

  it('finds nothing in a spool the daemon has not written yet', async () => {
    assert.deepEqual(await scanSpool(await tempDir(), 'server2'), { files: [], foreign: [] });
  });
});

describe('removeEmptyHourDirs()', () => {
  it('removes empty folders of hours that ended before the cutoff, never a folder with files', async () => {
    const spool = await tempDir();
    for (const dir of ['2026-11-21/23', '2026-11-22/05', '2026-11-22/06', '2026-11-22/07', 'notes']) {
      await mkdir(join(spool, 'server2', dir), { recursive: true });
    }
    await writeFile(join(spool, 'server2/2026-11-22/05/2026-11-22T05-59Z.jsonl.part'), 'open');
    await removeEmptyHourDirs(spool, 'server2', Date.parse('2026-11-22T07:00:00Z'));
    assert.deepEqual((await readdir(join(spool, 'server2'))).sort(), ['2026-11-22', 'notes']);
    assert.deepEqual((await readdir(join(spool, 'server2/2026-11-22'))).sort(), ['05', '07']);
  });
});
