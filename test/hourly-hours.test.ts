import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixedClock } from '../src/platform/clock.js';
import { silentLogger } from '../src/platform/logger.js';
import { runHourly } from '../src/hourly/index.js';
import { tempDir } from './helpers/tmp.js';
import { testSettings } from './helpers/settings.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeStreamJson } from './helpers/spool-writer.js';

const xzcat = (path: string): string => execFileSync('xz', ['-dc', path], { encoding: 'utf8' });

describe('which hours are published (DESIGN 3.3, 3.4)', () => {
  it('runHourly() publishes the empty hours from first_hour on as empty files with a zero report line', async () => {
    const root = await tempDir();
    const { settings } = await testSettings(root, { hourly: { first_hour: '2026-11-22T08', expect_server2: false, xz_preset: 1 } });
    const { spool, state, vault } = settings.paths;
    const createdAt = '2026-11-22T10:30:00.000Z';
    await writeSpoolFile(spool, 'server1', '2026-11-22T10:30:00Z', [tweetLine({ id: snowflakeId(Date.parse(createdAt), 1), createdAt }, '2026-11-22T10:30:01.000Z', 'server1')]);
    await writeStreamJson(state, { watermark: '2026-11-22T11:06:00.000Z' });
    const result = await runHourly({ settings, clock: fixedClock(Date.parse('2026-11-22T11:06:30Z')), log: silentLogger() });
    assert.deepEqual(result.outcomes.map((o) => o.hour), ['2026-11-22T08', '2026-11-22T09', '2026-11-22T10']);
    const day = join(vault, '2026-11-22');
    assert.equal(xzcat(join(day, '2026-11-22_08_IDs.txt.xz')), '');
    assert.equal(xzcat(join(day, '2026-11-22_08_tweets.csv.xz')).split('\n').length, 2, 'header only');
    assert.equal(xzcat(join(day, '2026-11-22_08_users.csv.xz')).split('\n').length, 2, 'header only');
    const lines = (await readFile(join(day, '2026-11-22_report.txt'), 'utf8')).trimEnd().split('\n').slice(1);
    assert.deepEqual(lines.slice(0, 2), [
      '08\t0\t0\t0\t0\t0.00%\t0\t0\t0\t08:00-09:00\t08:00-09:00\t1',
      '09\t0\t0\t0\t0\t0.00%\t0\t0\t0\t09:00-10:00\t09:00-10:00\t1',
    ]);
    assert.match(lines[2]!, /^10\t1\t0\t1\t1\t100\.00%/);
    // A second run has nothing to do.
    assert.deepEqual((await runHourly({ settings, clock: fixedClock(Date.parse('2026-11-22T11:07:00Z')), log: silentLogger() })).outcomes, []);
  });

  it('runHourly() labels an autumn DST day in Europe/Berlin with 25 hours, 02b between 02 and 03', async () => {
    const root = await tempDir();
    const { settings } = await testSettings(root, {
      hourly: { first_hour: '2026-10-24T22', expect_server2: false, xz_preset: 0, output_timezone: 'Europe/Berlin' },
    });
    const { spool, state, vault } = settings.paths;
    // One tweet in each of the two UTC hours labelled 02 (00:xx UTC) and 02b (01:xx UTC).
    for (const [createdAt, seq] of [['2026-10-25T00:10:00.000Z', 1], ['2026-10-25T01:10:00.000Z', 2]] as const) {
      await writeSpoolFile(spool, 'server1', createdAt, [tweetLine({ id: snowflakeId(Date.parse(createdAt), seq), createdAt }, createdAt, 'server1')]);
    }
    await writeStreamJson(state, { watermark: '2026-10-25T23:06:00.000Z' });
    const result = await runHourly({ settings, clock: fixedClock(Date.parse('2026-10-25T23:06:30Z')), log: silentLogger() });
    assert.equal(result.outcomes.length, 25);
    const day = join(vault, '2026-10-25');
    const report = (await readFile(join(day, '2026-10-25_report.txt'), 'utf8')).trimEnd().split('\n').slice(1);
    const hours = report.map((l) => l.split('\t')[0]);
    assert.deepEqual(hours, ['00', '01', '02', '02b', ...Array.from({ length: 21 }, (_, i) => String(i + 3).padStart(2, '0'))]);
    assert.match(report[2]!, /^02\t1\t/);
    assert.match(report[3]!, /^02b\t1\t/);
    const names = await readdir(day);
    assert.ok(names.includes('2026-10-25_02b_IDs.txt.xz'));
    assert.equal(names.filter((n) => n.endsWith('_IDs.txt.xz')).length, 25);
    assert.equal(xzcat(join(day, '2026-10-25_02b_IDs.txt.xz')), `${snowflakeId(Date.parse('2026-10-25T01:10:00.000Z'), 2)}\n`);
    execFileSync('sha256sum', ['-c', '--quiet', '2026-10-25_SHA256SUMS'], { cwd: day });
  });
});
