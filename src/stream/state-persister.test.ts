import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, flushMicrotasks } from '../../test/helpers/fake-clock.js';
import { logSink } from '../../test/helpers/log-sink.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { StatePersister } from './state-persister.js';
import { readStreamState, type StreamState } from '../contracts/stream-state.js';
import { StreamStatus } from './stream-status.js';

async function setup() {
  const stateDir = await tempDir();
  const clock = new FakeClock('2026-11-22T06:00:00Z');
  const status = new StreamStatus({ server: 'server1', nowMs: clock.now(), previous: null, connections: 1 });
  let snapshots = 0;
  const persister = new StatePersister({
    clock,
    log: logSink().log,
    stateDir,
    snapshot: (): StreamState => {
      snapshots++;
      return status.snapshot(clock.now(), clock.now(), {});
    },
  });
  return { stateDir, clock, status, persister, snapshots: () => snapshots };
}

test('StatePersister.flush() writes stream.json that readStreamState() reads back', async () => {
  const t = await setup();
  t.status.recordLine('tweet', t.clock.now());
  await t.persister.flush();
  const state = await readStreamState(t.stateDir);
  assert.equal(state?.counters.tweets, 1);
  assert.equal(state?.updated_at, '2026-11-22T06:00:00.000Z');
});

test('StatePersister folds requests made during a write into one more write', async () => {
  const t = await setup();
  for (let i = 0; i < 10; i++) t.persister.request();
  await t.persister.flush();
  assert.equal(t.snapshots(), 2);
});

test('StatePersister.run() rewrites the state every 5 s', async () => {
  const t = await setup();
  const controller = new AbortController();
  const running = t.persister.run(controller.signal);
  await t.clock.advance(5_000);
  await t.persister.flush();
  const first = t.snapshots();
  await t.clock.advance(5_000);
  await flushMicrotasks();
  await t.persister.flush();
  assert.ok(t.snapshots() > first);
  assert.equal((await readStreamState(t.stateDir))?.updated_at, '2026-11-22T06:00:10.000Z');
  controller.abort();
  await running;
});
