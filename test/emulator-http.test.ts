import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startXEmulator, type XEmulator, type XEmulatorOptions } from '../src/emulator/index.js';
import { snowflakeTimeMs } from '../src/emulator/snowflake.js';
import { FakeClock } from './helpers/fake-clock.js';
import { DAEMON_QUERY, openRaw, waitFor, type RawResponse } from './helpers/emulator-stream-client.js';

const SAMPLE = `/2/tweets/sample/stream?${DAEMON_QUERY}`;
const opened: RawResponse[] = [];
const emulators: XEmulator[] = [];

async function emulator(options: XEmulatorOptions = {}): Promise<XEmulator> {
  const started = await startXEmulator(options);
  emulators.push(started);
  return started;
}

async function open(base: string, path = SAMPLE, token: string | null = 'test-token'): Promise<RawResponse> {
  const response = await openRaw(base, path, token);
  opened.push(response);
  return response;
}

after(async () => {
  for (const response of opened) response.close();
  await Promise.all(emulators.map((e) => e.close()));
});

describe('X API emulator over HTTP', () => {
  it('answers 401 without a token, with an empty one, and with a wrong one', async () => {
    const emu = await emulator({ token: 'right-token' });
    const unauthorized = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
    for (const token of [null, '', 'wrong-token']) {
      const response = await open(emu.url, SAMPLE, token);
      await response.ended;
      assert.equal(response.status, 401, `token ${JSON.stringify(token)}`);
      assert.deepEqual(JSON.parse(response.body().toString()), unauthorized);
      assert.ok(response.headers.date);
    }
    const ok = await open(emu.url, SAMPLE, 'right-token');
    assert.equal(ok.status, 200);
    assert.deepEqual(emu.stats().connectionsRejected, { 401: 3 });
  });

  it('answers 400 in the API shape for a bad field and for sample10 without a partition, and 404 elsewhere', async () => {
    const emu = await emulator();
    const cases: { path: string; status: number; parameter?: string }[] = [
      { path: '/2/tweets/sample/stream?tweet.fields=text,bogus', status: 400, parameter: 'tweet.fields' },
      { path: '/2/tweets/sample10/stream?tweet.fields=text', status: 400, parameter: 'partition' },
      { path: '/2/tweets/sample/stream?partition=1', status: 400, parameter: 'partition' },
      { path: '/2/tweets/search/stream', status: 404 },
    ];
    for (const { path, status, parameter } of cases) {
      const response = await open(emu.url, path);
      await response.ended;
      assert.equal(response.status, status, path);
      const body = JSON.parse(response.body().toString());
      if (parameter) {
        assert.equal(body.title, 'Invalid Request');
        assert.equal(body.type, 'https://api.twitter.com/2/problems/invalid-request');
        assert.ok(parameter in body.errors[0].parameters);
      } else {
        assert.equal(body.errors[0].message, 'Sorry, that page does not exist');
      }
    }
    assert.equal(emu.activeConnections(), 0);
  });

  it('answers 429 TooManyConnections on the third connection of a token, until one closes', async () => {
    const emu = await emulator({ ratePerS: 10 });
    const first = await open(emu.url);
    const second = await open(emu.url);
    const third = await open(emu.url);
    assert.deepEqual([first.status, second.status, third.status], [200, 200, 429]);
    await third.ended;
    assert.deepEqual(JSON.parse(third.body().toString()), {
      title: 'ConnectionException',
      detail: 'This stream is currently at the maximum allowed connection limit.',
      connection_issue: 'TooManyConnections',
      type: 'https://api.x.com/2/problems/streaming-connection',
    });
    assert.equal(third.headers['x-rate-limit-limit'], '50');
    assert.equal(third.headers['x-rate-limit-remaining'], '47');
    assert.ok(Number(third.headers['x-rate-limit-reset']) > Date.now() / 1000);
    assert.equal((await open(emu.url, SAMPLE, 'other-token')).status, 200, 'the limit is per token');
    assert.equal(emu.activeConnections(), 3);
    first.close();
    await waitFor(() => emu.activeConnections() === 2, 'the closed slot to free');
    assert.equal((await open(emu.url)).status, 200);
    assert.deepEqual(emu.stats().connectionsRejected, { 429: 1 });
  });

  it('limits connection requests to 50 per 15 minutes of the emulator clock', async () => {
    const clock = new FakeClock('2026-11-22T06:00:00Z');
    const emu = await emulator({ clock, maxConnections: 50, ratePerS: 0.001 });
    const streams: RawResponse[] = [];
    for (let i = 0; i < 50; i++) streams.push(await open(emu.url));
    assert.ok(streams.every((s) => s.status === 200));
    const limited = await open(emu.url);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['x-rate-limit-remaining'], '0');
    assert.equal(limited.headers['x-rate-limit-reset'], String(Date.parse('2026-11-22T06:15:00Z') / 1000));
    await limited.ended;
    assert.equal(JSON.parse(limited.body().toString()).title, 'Too Many Requests');
    for (const stream of streams) stream.close();
    await waitFor(() => emu.activeConnections() === 0, 'every stream to close');
    await clock.advance(15 * 60 * 1000);
    assert.equal((await open(emu.url)).status, 200);
  });

  it('frames messages as JSON + \\r\\n and sends \\r\\n keep-alives when idle', async () => {
    const busy = await emulator({ ratePerS: 200 });
    const stream = await open(busy.url);
    assert.equal(stream.headers['transfer-encoding'], 'chunked');
    assert.equal(stream.headers['x-rate-limit-remaining'], '49');
    await waitFor(() => stream.lines().length >= 20, '20 messages');
    for (const message of stream.messages()) {
      assert.match(message.data.id, /^\d{18,20}$/);
      assert.equal(new Date(snowflakeTimeMs(message.data.id)).toISOString().slice(0, 19) + '.000Z', message.data.created_at);
      assert.ok(message.includes.users.some((u: { id: string }) => u.id === message.data.author_id));
    }
    const idle = await emulator({ ratePerS: 0.0001, keepaliveS: 0.05 });
    const quiet = await open(idle.url);
    await waitFor(() => quiet.body().length >= 8, 'four keep-alives');
    assert.match(quiet.body().toString(), /^(\r\n)+$/);
  });

  it('sends a keep-alive every keepaliveS while messages flow too, each between whole messages', async () => {
    const clock = new FakeClock('2026-11-22T06:00:00Z');
    const emu = await emulator({ clock, ratePerS: 20, keepaliveS: 1 });
    const stream = await open(emu.url);
    for (let i = 0; i < 35; i++) await clock.advance(100);
    await waitFor(() => stream.messages().length >= 60, '3.5 s of messages');
    const lines = stream.lines();
    const beats = lines.flatMap((line, i) => (line === '' ? [i] : []));
    assert.equal(beats.length, 3, 'one heartbeat per second of the emulator clock, at 1, 2 and 3 s');
    assert.ok(beats.every((i) => i > 0 && i < lines.length - 1), 'each heartbeat sits between two messages');
    for (const line of lines.filter((l) => l !== '')) assert.match(JSON.parse(line).data.id, /^\d+$/);
  });

  it('gives two connections the same tweets in the same order, as sampleIds() lists them', async () => {
    const clock = new FakeClock('2026-11-22T06:59:58Z');
    const emu = await emulator({ clock, ratePerS: 40, duplicateRate: 0 });
    const startMs = clock.now();
    const [a, b] = [await open(emu.url), await open(emu.url)];
    const expected = emu.sampleIds(startMs, startMs + 3001);
    assert.equal(expected.length, 121);
    for (let i = 0; i < 30; i++) await clock.advance(100);
    const ids = (r: RawResponse) => r.messages().map((m) => m.data.id as string);
    await waitFor(() => ids(a).length === 121 && ids(b).length === 121, 'three seconds of sample on both');
    assert.deepEqual(ids(a), expected);
    assert.deepEqual(ids(b), expected);
    const hour = Date.parse('2026-11-22T07:00:00Z');
    assert.ok(
      a.messages().some((m, i) => Date.parse(m.data.created_at) < hour && startMs + i * 25 >= hour),
      'some tweets created before the hour arrive after it',
    );
  });

  it('keeps the sample shared when clients connect at different wall-clock times', async () => {
    const emu = await emulator({ ratePerS: 300 });
    const a = await open(emu.url);
    await waitFor(() => a.messages().length >= 30, 'a head start');
    const b = await open(emu.url);
    await waitFor(() => b.messages().length >= 60, 'the second client');
    const idsA = a.messages().map((m) => m.data.id);
    const idsB = b.messages().map((m) => m.data.id);
    const joinedAt = idsA.indexOf(idsB[0]);
    assert.ok(joinedAt > 0);
    const overlap = Math.min(idsA.length - joinedAt, idsB.length);
    assert.ok(overlap >= 20);
    assert.deepEqual(idsA.slice(joinedAt, joinedAt + overlap), idsB.slice(0, overlap));
  });

  it('splits sample10 into two disjoint partitions at ten times the rate, with the Date of the emulator clock', async () => {
    const clock = new FakeClock('2026-11-22T06:30:00Z');
    const emu = await emulator({ clock, ratePerS: 10 });
    const path = (p: number) => `/2/tweets/sample10/stream?${DAEMON_QUERY}&partition=${p}`;
    const [one, two] = [await open(emu.url, path(1)), await open(emu.url, path(2))];
    assert.equal(one.headers.date, 'Sun, 22 Nov 2026 06:30:00 GMT');
    assert.equal((await open(emu.url, path(1))).status, 200, 'connection limits count per partition');
    for (let i = 0; i < 10; i++) await clock.advance(100);
    await waitFor(() => one.messages().length >= 50 && two.messages().length >= 50, 'one second of sample10');
    const first = new Set(one.messages().map((m) => m.data.id));
    assert.ok(two.messages().every((m) => !first.has(m.data.id)));
    assert.equal(one.messages().length + two.messages().length, 101);
  });
});
