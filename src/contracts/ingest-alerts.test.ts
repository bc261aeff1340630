import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/tmp.js';
import { appendIngestAlerts, MAX_INGEST_ALERTS, readIngestAlerts, type IngestAlert } from './ingest-alerts.js';

const alert = (n: number): IngestAlert => ({ at: '2026-11-22T11:00:00.000Z', kind: 'foreign-file', server: 'server1', path: `/q/${n}`, detail: 'x' });

describe('ingest alerts', () => {
  it('appendIngestAlerts() keeps the newest events, oldest first; readIngestAlerts() of nothing is empty', async () => {
    const state = await tempDir();
    assert.deepEqual((await readIngestAlerts(state)).events, []);
    await appendIngestAlerts(state, [], Date.parse('2026-11-22T11:00:00Z'));
    assert.deepEqual((await readIngestAlerts(state)).events, [], 'nothing written for no events');
    await appendIngestAlerts(state, Array.from({ length: MAX_INGEST_ALERTS }, (_, n) => alert(n)), Date.parse('2026-11-22T11:00:00Z'));
    await appendIngestAlerts(state, [alert(MAX_INGEST_ALERTS)], Date.parse('2026-11-22T11:05:00Z'));
    const alerts = await readIngestAlerts(state);
    assert.equal(alerts.events.length, MAX_INGEST_ALERTS);
    assert.equal(alerts.events[0]?.path, '/q/1');
    assert.equal(alerts.events.at(-1)?.path, `/q/${MAX_INGEST_ALERTS}`);
    assert.equal(alerts.updated_at, '2026-11-22T11:05:00.000Z');
  });
});
