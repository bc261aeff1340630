import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixedClock } from '../src/platform/clock.js';
import { runHourly } from '../src/hourly/index.js';
import { readIngestAlerts } from '../src/contracts/ingest-alerts.js';
import { tempDir } from './helpers/tmp.js';
import { testSettings } from './helpers/settings.js';
import { logSink } from './helpers/log-sink.js';
import { fillToEnospc, mountSmallTmpfs } from './helpers/small-fs.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeStreamJson } from './helpers/spool-writer.js';

describe('hourly on a full vault filesystem', () => {
  it('refuses to publish with a clear message and alert, then publishes once space returns', async () => {
    const root = await tempDir();
    const vault = await mountSmallTmpfs(32);
    const { settings } = await testSettings(root, {
      paths: { spool: join(root, 'spool'), state: join(root, 'state'), staging: join(root, 'staging'), vault },
      hourly: { first_hour: '2026-11-22T10', expect_server2: false, xz_preset: 0 },
    });
    const createdAt = '2026-11-22T10:10:00.000Z';
    await writeSpoolFile(settings.paths.spool, 'server1', createdAt, [
      tweetLine({ id: snowflakeId(Date.parse(createdAt), 1), createdAt }, createdAt, 'server1'),
    ]);
    await writeStreamJson(settings.paths.state, { watermark: '2026-11-22T11:06:00.000Z' });
    const filler = join(vault, 'filler');
    await fillToEnospc(filler);

    const full = logSink();
    const refused = await runHourly({ settings, clock: fixedClock(Date.parse('2026-11-22T11:06:30Z')), log: full.log });
    assert.deepEqual(refused.outcomes, []);
    assert.deepEqual(refused.noSpace, ['2026-11-22T10']);
    const message = full.lines().find((line) => line.level === 50);
    assert.match(String(message?.msg), /hour 2026-11-22T10 not published: paths\.vault \(.*\) has 0 MB free, publishing needs \d+ MB/);
    const alerts = (await readIngestAlerts(settings.paths.state)).events.filter((event) => event.kind === 'publish-no-space');
    assert.equal(alerts.length, 1);
    assert.deepEqual(await readdir(vault), ['filler'], 'nothing half-published');

    await rm(filler);
    const later = await runHourly({ settings, clock: fixedClock(Date.parse('2026-11-22T11:11:30Z')), log: logSink().log });
    assert.deepEqual(later.noSpace, []);
    assert.deepEqual(later.outcomes.map((outcome) => outcome.kind), ['published']);
    const day = join(vault, '2026-11-22');
    const xzFiles = (await readdir(day)).filter((name) => name.endsWith('.xz'));
    assert.ok(xzFiles.length > 0);
    for (const name of xzFiles) execFileSync('xz', ['-t', join(day, name)]);
    execFileSync('sha256sum', ['-c', '--quiet', '2026-11-22_SHA256SUMS'], { cwd: day });
    assert.match(await readFile(join(day, '2026-11-22_report.txt'), 'utf8'), /\n10\t1\t/);
  });
});
