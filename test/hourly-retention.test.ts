import assert from 'node:assert/strict';
import { access, mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fixedClock } from '../src/platform/clock.js';
import { silentLogger } from '../src/platform/logger.js';
import { readManifest } from '../src/contracts/hour-manifest.js';
import { DAY_MS } from '../src/platform/time.js';
import { runHourly } from '../src/hourly/index.js';
import { pruneRetained } from '../src/hourly/retention/prune-retained.js';
import { tempDir } from './helpers/tmp.js';
import { testSettings } from './helpers/settings.js';
import { logSink } from './helpers/log-sink.js';
import { snowflakeId, tweetLine, writeSpoolFile, writeStreamJson } from './helpers/spool-writer.js';

async function fileAged(path: string, bytes: number, ageDays: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, 'x'.repeat(bytes));
  const at = new Date(Date.now() - ageDays * DAY_MS);
  await utimes(path, at, at);
}

const exists = (path: string) => access(path).then(() => true, () => false);

describe('retention', () => {
  it('prunes old quarantine files and late arrivals of published hours, keeps the rest, logs counts and bytes', async () => {
    const { settings } = await testSettings(await tempDir(), { retention: { quarantine_days: 30, late_days: 14 } });
    const { state, staging } = settings.paths;
    const oldQuarantine = join(state, 'quarantine', 'server2', '2026-10-01', 'bad.jsonl');
    const youngQuarantine = join(state, 'quarantine', 'server2', '2026-12-01', 'bad.jsonl');
    const oldLatePublished = join(staging, 'late', '2026-10-01T00', 'server1.jsonl');
    const oldLateUnpublished = join(staging, 'late', '2026-10-02T00', 'server1.jsonl');
    await fileAged(oldQuarantine, 1000, 31);
    await fileAged(youngQuarantine, 10, 29);
    await fileAged(oldLatePublished, 300, 15);
    await fileAged(join(staging, 'late', '2026-10-01T00', 'server2.jsonl'), 200, 20);
    await fileAged(oldLateUnpublished, 50, 40);
    await fileAged(join(staging, 'manifests', '2026-10-01T00.json'), 10, 15);

    const sink = logSink();
    const totals = await pruneRetained(settings, sink.log, Date.now());

    assert.deepEqual(totals, { quarantine: { count: 1, bytes: 1000 }, late: { count: 1, bytes: 500 } });
    assert.equal(await exists(oldQuarantine), false);
    assert.equal(await exists(dirname(oldQuarantine)), false, 'the emptied quarantine folder is removed');
    assert.equal(await exists(youngQuarantine), true);
    assert.equal(await exists(dirname(oldLatePublished)), false);
    assert.equal(await exists(oldLateUnpublished), true, 'late arrivals of an unpublished hour stay for --include-late');
    const logged = sink.lines().filter((line) => String(line.msg).startsWith('retention pruned'));
    assert.deepEqual(
      logged.map(({ folder, count, bytes }) => ({ folder, count, bytes })),
      [
        { folder: 'quarantine', count: 1, bytes: 1000 },
        { folder: 'late', count: 1, bytes: 500 },
      ],
    );
  });

  it('hourly prunes at the end of its run', async () => {
    const { settings } = await testSettings(await tempDir(), { hourly: { expect_server2: false } });
    const old = join(settings.paths.state, 'quarantine', 'server1', 'old.jsonl');
    await fileAged(old, 10, 31);
    const sink = logSink();
    await runHourly({ settings, clock: fixedClock(Date.parse('2026-11-22T11:06:30Z')), log: sink.log });
    assert.equal(await exists(old), false);
    assert.ok(sink.lines().some((line) => line.folder === 'quarantine' && line.count === 1));
  });

  it('closes a published hour that received only non-tweet lines once its retention ends, removing its minute record', async () => {
    const { settings } = await testSettings(await tempDir(), { hourly: { first_hour: '2026-11-22T09', expect_server2: false, xz_preset: 0 } });
    const { spool, state, staging } = settings.paths;
    // Receipt hour 09 holds an error message only: a minute record, but no chunk and no staging folder.
    const errorOnly = JSON.stringify({ errors: [{ title: 'operational-disconnect' }], __meta: { retrieved_at: '2026-11-22T09:30:01.000Z', server: 'server1' } });
    await writeSpoolFile(spool, 'server1', '2026-11-22T09:30:00Z', [errorOnly]);
    const createdAt = '2026-11-22T10:30:00.000Z';
    await writeSpoolFile(spool, 'server1', '2026-11-22T10:30:00Z', [tweetLine({ id: snowflakeId(Date.parse(createdAt), 1), createdAt }, '2026-11-22T10:30:01.000Z', 'server1')]);
    const run = async (at: string) => {
      await writeStreamJson(state, { watermark: at });
      return runHourly({ settings, clock: fixedClock(Date.parse(at)), log: silentLogger() });
    };
    assert.deepEqual((await run('2026-11-22T11:06:00.000Z')).outcomes.map((o) => o.hour), ['2026-11-22T09', '2026-11-22T10']);
    assert.deepEqual((await readdir(join(staging, 'minutes'))).sort(), ['2026-11-22T09.json', '2026-11-22T10.json']);
    // staging_retention_h (48) after their first publication both hours are closed, and nothing of them is left.
    assert.deepEqual((await run('2026-11-24T11:07:00.000Z')).closed.sort(), ['2026-11-22T09', '2026-11-22T10']);
    assert.deepEqual(await readdir(join(staging, 'minutes')), []);
    assert.notEqual((await readManifest(staging, '2026-11-22T09'))?.closed_at ?? null, null);
  });
});
