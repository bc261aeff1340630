import assert from 'node:assert/strict';
import { mkdir, readdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/tmp.js';
import { classifySpoolPath, lingeringFiles, removeEmptyHourDirs, scanSpool, type PendingFile } from './spool-scan.js';

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
    ['server2/2026-11-22/06/notes.part', 'foreign'],
    ['server2/2026-11-22/07/2026-11-22T06-27Z.jsonl.part', 'foreign'],
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

describe('scanSpool() of one server', () => {
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
    const scan = await scanSpool(spool, ['server2']);
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
    assert.deepEqual(scan.foreign.map((f) => f.relativePath), ['server2/2026-11-22/07/core']);
    assert.deepEqual(scan.pending.map((f) => [f.relativePath, f.kind]).sort(), [
      ['server2/2026-11-22/07/.2026-11-22T07-00Z.jsonl.tmp', 'hidden'],
      ['server2/2026-11-22/07/2026-11-22T07-01Z.jsonl.part', 'open'],
    ]);
  });

  it('finds nothing in a spool the daemon has not written yet', async () => {
    assert.deepEqual(await scanSpool(await tempDir(), ['server2']), { files: [], foreign: [], pending: [], outside: [], folders: [] });
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

describe('scanSpool() of both servers', () => {
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

describe('scanSpool() beside the server folders', () => {
  it('lists entries of the spool root that are not server folders as outside, without walking them', async () => {
    const spool = await tempDir();
    await mkdir(join(spool, 'vault', '2026-11-22'), { recursive: true });
    await writeFile(join(spool, 'vault', '2026-11-22', '2026-11-22_10_tweets.csv.xz'), 'published');
    await writeFile(join(spool, 'README'), '');
    await writeFile(join(spool, 'server3'), '');
    await mkdir(join(spool, 'server1'));
    const scan = await scanSpool(spool);
    assert.deepEqual(scan.outside.sort(), [join(spool, 'README'), join(spool, 'server3'), join(spool, 'vault')]);
    assert.deepEqual([scan.files, scan.foreign, scan.folders], [[], [], []]);
  });
});

describe('lingeringFiles()', () => {
  const pending = (relativePath: string, changedMs: number): PendingFile => ({
    server: 'server1',
    path: `/spool/${relativePath}`,
    relativePath,
    kind: relativePath.endsWith('.part') ? 'open' : 'hidden',
    changedMs,
  });
  const now = Date.parse('2026-11-22T12:00:00Z');
  const cases: Array<{ name: string; changedMs: number; lingering: boolean }> = [
    { name: 'changed a minute ago', changedMs: now - 60_000, lingering: false },
    { name: 'changed exactly an hour ago', changedMs: now - 3_600_000, lingering: false },
    { name: 'unchanged for over an hour', changedMs: now - 3_600_001, lingering: true },
    { name: 'changed in the future (clock step)', changedMs: now + 60_000, lingering: false },
  ];
  for (const { name, changedMs, lingering } of cases) {
    it(`a file ${name} is ${lingering ? '' : 'not '}lingering`, () => {
      const file = pending('server1/2026-11-22/10/2026-11-22T10-01Z.jsonl.part', changedMs);
      assert.deepEqual(lingeringFiles([file], now), lingering ? [file] : []);
    });
  }

  it('scanSpool() gives each pending file its last change time', async () => {
    const spool = await tempDir();
    const part = join(spool, 'server1/2026-11-22/10/2026-11-22T10-01Z.jsonl.part');
    await mkdir(dirname(part), { recursive: true });
    await writeFile(part, '');
    await utimes(part, new Date('2026-11-22T10:02:00Z'), new Date('2026-11-22T10:02:00Z'));
    const [found] = (await scanSpool(spool)).pending;
    assert.ok(found !== undefined && found.changedMs >= Date.parse('2026-11-22T10:02:00Z'));
  });
});
