import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startXEmulator, type XEmulatorOptions } from '../src/emulator/index.js';
import { systemClock, type Clock } from '../src/platform/clock.js';
import type { Settings } from '../src/config/index.js';
import { readIngestAlerts, readStreamState } from '../src/contracts/index.js';
import { FakeClock } from './helpers/fake-clock.js';
import { authObservation } from '../src/notify/conditions.js';
import { TOKEN_FILE_POLL_MS } from '../src/stream/connection-loop.js';
import { tempDir } from './helpers/tmp.js';
import { daemonSettings, readSpool, startDaemon, tweetIds, waitFor, type RunningDaemon } from './helpers/stream-harness.js';

const MIN = 60_000;

/** Runs `body` with an emulator and one in-process daemon, then checks that no log line holds the token. */
async function withDaemon(
  emulatorOptions: XEmulatorOptions,
  xApi: Partial<Settings['x_api']>,
  body: (t: { emulator: Awaited<ReturnType<typeof startXEmulator>>; daemon: RunningDaemon; settings: Settings; clock: Clock }) => Promise<void>,
  clock: Clock = systemClock,
  metrics: Partial<Settings['metrics']> = {},
): Promise<void> {
  const emulator = await startXEmulator({ keepaliveS: 0.2, ...emulatorOptions, clock });
  const root = await tempDir();
  const setup = await daemonSettings(root, emulator.url, xApi);
  const settings: Settings = { ...setup.settings, metrics: { ...setup.settings.metrics, ...metrics } };
  const daemon = startDaemon(settings, clock);
  try {
    await body({ emulator, daemon, settings, clock });
  } finally {
    await daemon.stop();
    await emulator.close();
  }
  assert.equal(daemon.sink.text().includes('test-bearer-token-1234567890'), false, 'the token appears in a log line');
}

const connections = (daemon: RunningDaemon) => daemon.sink.lines().filter((l) => l.msg === 'connected').length;

test('stream daemon writes every message with __meta into minute files and closes them on stop', async () => {
  await withDaemon({ ratePerS: 100 }, {}, async ({ daemon, settings }) => {
    await waitFor('some lines', async () => (await readSpool(settings.paths.spool)).parts.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const port = daemon.sink.lines().find((l) => l.msg === 'metrics listening')?.port;
    const metrics = await (await fetch(`http://127.0.0.1:${String(port)}/metrics`)).text();
    assert.match(metrics, /^sampled_stream_connected 1$/m);
    assert.match(metrics, /^sampled_stream_tweets_total [1-9]\d*$/m);
    await daemon.stop();
    const spool = await readSpool(settings.paths.spool);
    assert.deepEqual(spool.parts, []);
    assert.ok(spool.lines.length > 50);
    for (const { line } of spool.lines) {
      assert.equal(line.__meta.server, 'server1');
      assert.match(line.__meta.retrieved_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.ok(line.data && line.includes);
    }
    const state = await readStreamState(settings.paths.state);
    assert.equal(state?.connected, false);
    assert.equal(state?.counters.tweets, tweetIds(spool.lines).length);
    assert.equal(state?.auth.state, 'ok');
    assert.equal(state?.gaps.at(-1)?.reason, 'stopped');
    assert.ok(daemon.sink.lines().some((l) => l.msg === 'minute closed'));
  }, systemClock, { stream_listen: '127.0.0.1:0' });
});

test('stream daemon with sample10 keeps one connection per partition, all into the same minute files', async () => {
  await withDaemon({ ratePerS: 10 }, { stream: 'sample10', partitions: [1, 2] }, async ({ daemon, emulator, settings }) => {
    await waitFor('both partitions', () => emulator.activeConnections() === 2);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await daemon.stop();
    const spool = await readSpool(settings.paths.spool);
    const byPartition = (p: number) => spool.lines.filter((l) => (l.line.__meta as { partition?: number }).partition === p);
    assert.ok(byPartition(1).length > 10 && byPartition(2).length > 10);
    assert.equal(byPartition(1).length + byPartition(2).length, spool.lines.length);
    const ids1 = new Set(tweetIds(byPartition(1)));
    assert.deepEqual(tweetIds(byPartition(2)).filter((id) => ids1.has(id)), []);
    assert.ok(spool.closed.every((name) => /^\d{4}-\d\d-\d\d\/\d\d\/\d{4}-\d\d-\d\dT\d\d-\d\dZ\.jsonl$/.test(name)));
    const connected = daemon.sink.lines().filter((l) => l.msg === 'connected').map((l) => l.conn);
    assert.deepEqual(connected.sort(), ['partition-1', 'partition-2']);
  });
});

test('stream daemon detects a stalled connection and reconnects', async () => {
  await withDaemon({ ratePerS: 50, faults: [{ kind: 'stall', atS: 0.5, durationS: 30, connection: 1 }] }, { stall_timeout_s: 1 }, async ({ daemon, settings }) => {
    await waitFor('a second connection', () => connections(daemon) >= 2);
    await waitFor('data after the stall', async () => (await readStreamState(settings.paths.state))?.connected === true);
    const state = await readStreamState(settings.paths.state);
    assert.equal(state?.counters.reconnects.stall, 1);
    const gap = state?.gaps.find((g) => g.reason === 'stall');
    assert.ok(gap, 'a stall gap is recorded');
    // The gap starts at the last byte, about a stall timeout before the reconnect.
    assert.ok(Date.parse(gap.end) - Date.parse(gap.start) >= 900);
  });
});

test('stream daemon writes an operational disconnect to the spool and reconnects', async () => {
  await withDaemon({ ratePerS: 50, faults: [{ kind: 'opdisconnect', atS: 0.4, durationS: 0, connection: 1 }] }, {}, async ({ daemon, settings }) => {
    await waitFor('a second connection', () => connections(daemon) >= 2);
    await daemon.stop();
    const spool = await readSpool(settings.paths.spool);
    const disconnects = spool.lines.filter((l) => (l.line.errors as Array<{ title?: string }> | undefined)?.[0]?.title === 'operational-disconnect');
    assert.equal(disconnects.length, 1);
    assert.equal(disconnects[0]?.line.__meta.server, 'server1');
    const state = await readStreamState(settings.paths.state);
    assert.equal(state?.counters.reconnects['operational-disconnect'], 1);
    assert.equal(state?.counters.errors, 1);
  });
});

test('stream daemon counts malformed and truncated lines, never writes them, and keeps going', async () => {
  const faults = [
    { kind: 'malformed' as const, atS: 0.3, durationS: 0, connection: 1 },
    { kind: 'truncate' as const, atS: 0.6, durationS: 0, connection: 1 },
  ];
  await withDaemon({ ratePerS: 50, faults }, {}, async ({ daemon, settings }) => {
    await waitFor('a second connection', () => connections(daemon) >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await daemon.stop();
    const state = await readStreamState(settings.paths.state);
    assert.equal(state?.counters.malformed, 1);
    // At least: a line cut by our own stop counts too.
    assert.ok((state?.counters.truncated ?? 0) >= 1);
    assert.equal(state?.counters.reconnects.drop, 1);
    const spool = await readSpool(settings.paths.spool);
    assert.equal(spool.lines.length, state?.counters.messages);
    const warnings = daemon.sink.lines().filter((l) => l.msg === 'malformed line dropped' || l.msg === 'partial last line dropped');
    assert.ok(warnings.length >= 2);
    assert.ok(warnings.every((w) => typeof w.start === 'string' && (w.start as string).length <= 120));
  });
});

test('stream daemon keeps characters split across network chunks intact (no U+FFFD in the spool)', async () => {
  await withDaemon({ ratePerS: 200, faults: [{ kind: 'split-utf8', atS: 0, durationS: 60 }] }, {}, async ({ daemon, settings }) => {
    await waitFor('some lines', async () => (await readSpool(settings.paths.spool)).parts.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await daemon.stop();
    const spool = await readSpool(settings.paths.spool);
    assert.ok(spool.lines.length > 100);
    assert.equal(spool.bytes.includes(Buffer.from('\uFFFD', 'utf8')), false);
    assert.ok(spool.lines.some((l) => /[^\x00-\x7f]/.test(l.line.data?.text ?? '')), 'multi-byte text was received');
    const state = await readStreamState(settings.paths.state);
    assert.equal(state?.counters.malformed, 0);
  });
});

test('stream daemon waits for x-rate-limit-reset after a 429 before dialling again', async () => {
  const clock = new FakeClock(Date.now());
  await withDaemon({ ratePerS: 1, faults: [{ kind: '429', atS: 0, durationS: 300 }] }, {}, async ({ emulator }) => {
    await waitFor('the first 429', () => emulator.stats().connectionsRejected['429'] === 1);
    await waitFor('the backoff sleep', () => clock.pendingSleeps.some((ms) => ms >= 300_000 && ms <= 302_000));
    await clock.advance(299_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(emulator.stats().connectionsRejected, { 429: 1 });
    assert.equal(emulator.stats().connectionsAccepted, 0);
    await clock.advance(3_000);
    await waitFor('the reconnect after the reset', () => emulator.stats().connectionsAccepted === 1);
    assert.deepEqual(emulator.stats().connectionsRejected, { 429: 1 });
  }, clock);
});

test('stream daemon retries a rejected token only every 15 minutes and records the refusal', async () => {
  const clock = new FakeClock(Date.now());
  await withDaemon({ ratePerS: 1, token: 'the-accepted-token' }, {}, async ({ emulator, daemon, settings }) => {
    const refusals = () => emulator.stats().connectionsRejected['401'] ?? 0;
    await waitFor('the first 401', () => refusals() === 1);
    for (let attempt = 2; attempt <= 5; attempt++) {
      await waitFor('the 15-minute backoff', () => clock.pendingSleeps.includes(15 * MIN));
      await clock.advance(15 * MIN - 1_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(refusals(), attempt - 1, 'no attempt before 15 minutes');
      await clock.advance(1_000);
      await waitFor(`attempt ${attempt}`, () => refusals() === attempt);
    }
    await waitFor('the state', async () => (await readStreamState(settings.paths.state))?.counters.reconnects.config === 5);
    const state = await readStreamState(settings.paths.state);
    assert.deepEqual({ ...state?.auth, at: undefined }, { state: 'rejected', status: 401, detail: 'Unauthorized: Unauthorized', at: undefined });
    const logged = daemon.sink.lines().filter((l) => l.cls === 'config');
    assert.equal(logged.length, 5);
    assert.match(JSON.stringify(logged[0]), /Unauthorized/);
  }, clock);
});

test('stream daemon raises the auth condition at once and reconnects within seconds of a fixed token file, not 15 min (issue 15.3)', async () => {
  const clock = new FakeClock(Date.now());
  await withDaemon({ ratePerS: 1, token: 'the-accepted-token' }, {}, async ({ emulator, settings }) => {
    await waitFor('the first 401', () => (emulator.stats().connectionsRejected['401'] ?? 0) === 1);
    await waitFor('the auth condition', async () => authObservation(await readStreamState(settings.paths.state)).open);
    await waitFor('the 15-minute backoff', () => clock.pendingSleeps.includes(15 * MIN));
    const tokenFile = settings.x_api.bearer_token_file;
    await writeFile(`${tokenFile}.new`, 'the-accepted-token\n', { mode: 0o600 });
    await rename(`${tokenFile}.new`, tokenFile);
    await clock.advance(TOKEN_FILE_POLL_MS);
    await waitFor('the reconnect with the fixed token', () => emulator.stats().connectionsAccepted === 1);
    assert.equal(emulator.stats().connectionsRejected['401'], 1);
    await clock.advance(5_000); // the state persister's regular rewrite
    await waitFor('the auth condition cleared', async () => !authObservation(await readStreamState(settings.paths.state)).open);
  }, clock);
});

test('two stream daemons on one emulator record the same tweet IDs', async () => {
  const emulator = await startXEmulator({ ratePerS: 200, keepaliveS: 0.2 });
  const one = await daemonSettings(await tempDir(), emulator.url, {}, 'server1');
  const two = await daemonSettings(await tempDir(), emulator.url, {}, 'server2');
  const daemons = [startDaemon(one.settings, systemClock), startDaemon(two.settings, systemClock)];
  try {
    await waitFor('both connected', () => daemons.every((d) => connections(d) === 1));
    await new Promise((resolve) => setTimeout(resolve, 1500));
  } finally {
    for (const d of daemons) await d.stop();
    await emulator.close();
  }
  const [a, b] = await Promise.all([readSpool(one.settings.paths.spool, 'server1'), readSpool(two.settings.paths.spool, 'server2')]);
  const times = (lines: typeof a.lines) => lines.map((l) => Date.parse(l.line.__meta.retrieved_at));
  const from = Math.max(Math.min(...times(a.lines)), Math.min(...times(b.lines))) + 200;
  const to = Math.min(Math.max(...times(a.lines)), Math.max(...times(b.lines))) - 200;
  const within = (lines: typeof a.lines) => tweetIds(lines.filter((l) => Date.parse(l.line.__meta.retrieved_at) >= from && Date.parse(l.line.__meta.retrieved_at) < to));
  const [idsA, idsB] = [new Set(tweetIds(a.lines)), new Set(tweetIds(b.lines))];
  assert.ok(within(a.lines).length > 100);
  assert.deepEqual(within(a.lines).filter((id) => !idsB.has(id)), []);
  assert.deepEqual(within(b.lines).filter((id) => !idsA.has(id)), []);
  assert.ok(b.lines.every((l) => l.line.__meta.server === 'server2'));
});

test('stream daemon sets an unreadable stream.json aside with an alert, starts with a fresh state, and refuses a second daemon', async () => {
  const emulator = await startXEmulator({ ratePerS: 50, keepaliveS: 0.2 });
  const { settings } = await daemonSettings(await tempDir(), emulator.url);
  await writeFile(join(settings.paths.state, 'stream.json'), '{"format_version": 1, "serv');
  const daemon = startDaemon(settings, systemClock);
  try {
    await waitFor('a connection', () => connections(daemon) === 1);
    const second = startDaemon(settings, systemClock);
    await assert.rejects(second.done, /Cannot take lock .*stream\.lock: held by running process/);
    await waitFor('a fresh stream.json', async () => (await readStreamState(settings.paths.state).catch(() => null))?.connected === true);
    assert.ok(daemon.sink.lines().some((l) => l.msg === 'corrupt state file moved aside, starting from an empty state'));
    const setAside = (await readdir(settings.paths.state)).filter((name) => name.startsWith('stream.json.corrupt-'));
    assert.equal(setAside.length, 1, 'the bytes are kept beside the new file');
    assert.equal((await readIngestAlerts(settings.paths.state)).events[0]?.kind, 'corrupt-state-file');
  } finally {
    await daemon.stop();
    await emulator.close();
  }
});

test('stream daemon removes the temporary stream.json a killed daemon left, and leaves other writers\' temporary files', async () => {
  const emulator = await startXEmulator({ ratePerS: 50, keepaliveS: 0.2 });
  const { settings } = await daemonSettings(await tempDir(), emulator.url);
  const leftover = '.stream.json.4242.0badf00d.tmp';
  // `watch` may be writing alerts.json at this moment: its temporary file is not the daemon's to remove.
  const others = ['.alerts.json.4243.0badf00d.tmp', '.stream.json.notes'];
  for (const name of [leftover, ...others]) await writeFile(join(settings.paths.state, name), '{"format_version": 1, "serv');
  const daemon = startDaemon(settings, systemClock);
  try {
    await waitFor('a connection', () => connections(daemon) === 1);
    const names = await readdir(settings.paths.state);
    assert.equal(names.includes(leftover), false, 'the killed daemon\'s temporary file is removed');
    for (const name of others) assert.ok(names.includes(name), `${name} is kept`);
  } finally {
    await daemon.stop();
    await emulator.close();
  }
});
