import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/tmp.js';
import { testSettings } from '../../../test/helpers/settings.js';
import { writeStreamJson, writeSyncStateJson } from '../../../test/helpers/spool-writer.js';
import { observeReadiness } from './observe-readiness.js';

const t = (iso: string) => Date.parse(iso);

describe('observeReadiness()', () => {
  it('observeReadiness() reads both watermarks, the latest downtime end, and remembers when a watermark moved', async () => {
    const root = await tempDir();
    const { settings } = await testSettings(root);
    const { state, spool } = settings.paths;
    await writeStreamJson(state, {
      watermark: '2026-11-22T11:04:00.000Z',
      firstStartedAt: '2026-11-20T08:30:00.000Z',
      gaps: [
        { start: '2026-11-22T09:00:00.000Z', end: '2026-11-22T09:40:00.000Z', reason: 'network' },
        { start: '2026-11-22T07:00:00.000Z', end: '2026-11-22T07:10:00.000Z', reason: 'stall' },
      ],
    });
    await writeSyncStateJson(spool, '2026-11-22T10:50:00.000Z', []);
    const first = await observeReadiness(settings, t('2026-11-22T11:05:00Z'));
    assert.equal(first.firstStartedMs, t('2026-11-20T08:30:00.000Z'));
    assert.equal(first.readiness.refMs, t('2026-11-22T11:04:00.000Z'), 'a fresh server 1 watermark is the reference');
    assert.equal(first.readiness.downtimeEndMs, t('2026-11-22T09:40:00.000Z'));
    assert.deepEqual(first.readiness.servers, [
      { watermarkMs: t('2026-11-22T11:04:00.000Z'), advancedAtMs: null },
      { watermarkMs: t('2026-11-22T10:50:00.000Z'), advancedAtMs: null },
    ]);
    await writeSyncStateJson(spool, '2026-11-22T10:55:00.000Z', []);
    const second = await observeReadiness(settings, t('2026-11-22T11:10:00Z'));
    assert.equal(second.readiness.servers[1]?.advancedAtMs, t('2026-11-22T11:10:00Z'), 'server 2 moved since the last run');
    assert.equal(second.readiness.servers[0]?.advancedAtMs, null, 'server 1 did not move');
    assert.equal(second.readiness.refMs, t('2026-11-22T11:10:00Z'), 'a stale server 1 watermark gives way to the clock');
    const third = await observeReadiness(settings, t('2026-11-22T11:15:00Z'));
    assert.equal(third.readiness.servers[1]?.advancedAtMs, t('2026-11-22T11:10:00Z'), 'the observation is kept');
  });

  it('observeReadiness() expects only server 1 when expect_server2 is false, and works without any state', async () => {
    const root = await tempDir();
    const { settings } = await testSettings(root, { hourly: { expect_server2: false } });
    const observed = await observeReadiness(settings, t('2026-11-22T11:05:00Z'));
    assert.deepEqual(observed.readiness.servers, [{ watermarkMs: null, advancedAtMs: null }]);
    assert.equal(observed.firstStartedMs, null);
    assert.equal(observed.readiness.latenessMs, 5 * 60_000);
    assert.equal(observed.readiness.maxWaitMs, 30 * 60_000);
  });
});
