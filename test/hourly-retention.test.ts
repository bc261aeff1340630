import assert from 'node:assert/strict';
import { access, mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fixedClock } from '../src/platform/clock.js';
import { DAY_MS } from '../src/platform/time.js';
import { runHourly } from '../src/hourly/index.js';
import { pruneRetained } from '../src/hourly/retention/prune-retained.js';
import { tempDir } from './helpers/tmp.js';
import { testSettings } from './helpers/settings.js';
import { logSink } from './helpers/log-sink.js';

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
});
