import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/tmp.js';
import { formatSha256Sums, parseSha256Sums } from '../../contracts/index.js';
import { prepareDayFiles, vaultNames } from './day-files.js';

const line = { hour: '03', serv1: 1, serv2: 1, total: 1, diff: 0, only1: 0, only2: 0, late: 0, gaps1: '', gaps2: '', version: 1 };

describe('day files', () => {
  it('vaultNames() names the files after the label, in the label date folder', () => {
    assert.deepEqual(vaultNames('/v', '2026-10-25', '2026-10-25_02b'), {
      dayDir: '/v/2026-10-25',
      ids: '2026-10-25_02b_IDs.txt.xz',
      tweets: '2026-10-25_02b_tweets.csv.xz',
      users: '2026-10-25_02b_users.csv.xz',
      report: '2026-10-25_report.txt',
      sums: '2026-10-25_SHA256SUMS',
      raw: '2026-10-25_02b_raw.jsonl.xz',
    });
  });

  it('formatSha256Sums() writes sha256sum lines sorted by name (02 < 02b < 03) and parseSha256Sums() reads them back', () => {
    const hashes = new Map([
      ['d_03_IDs', 'c'.repeat(64)],
      ['d_02b_IDs', 'b'.repeat(64)],
      ['d_02_IDs', 'a'.repeat(64)],
    ]);
    const text = formatSha256Sums(hashes);
    assert.equal(text, `${'a'.repeat(64)}  d_02_IDs\n${'b'.repeat(64)}  d_02b_IDs\n${'c'.repeat(64)}  d_03_IDs\n`);
    assert.deepEqual(parseSha256Sums(text).hashes, hashes);
  });

  it('prepareDayFiles() shows nothing until commit, then sha256sum -c passes over every file of the day', async () => {
    const root = await tempDir();
    const names = vaultNames(root, '2026-11-22', '2026-11-22_03');
    await mkdir(names.dayDir, { recursive: true });
    await writeFile(join(names.dayDir, 'other-hour.xz'), 'older file not in any SHA256SUMS');
    // The hour's file is already in place here; prepareDayFiles() takes its hash from `fresh`.
    await writeFile(join(names.dayDir, names.ids), 'not really xz');
    const fresh = new Map([[names.ids, createHash('sha256').update('not really xz').digest('hex')]]);
    const prepared = await prepareDayFiles(names, line, fresh);
    assert.deepEqual((await readdir(names.dayDir)).filter((n) => !n.startsWith('.')).sort(), ['2026-11-22_03_IDs.txt.xz', 'other-hour.xz']);
    await prepared.report.commit();
    await prepared.sums.commit();
    assert.deepEqual(await readdir(names.dayDir).then((n) => n.filter((x) => x.startsWith('.'))), [], 'no temporary file left');
    execFileSync('sha256sum', ['-c', '--quiet', names.sums], { cwd: names.dayDir });
    assert.match(await readFile(join(names.dayDir, names.report), 'utf8'), /^hour\tserv 1.*\n03\t1\t1\t1\t0\t0\.00%/);
  });
});
