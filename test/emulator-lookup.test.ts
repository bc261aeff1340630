import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startXEmulator, type XEmulator } from '../src/emulator/index.js';
import { SECOND_MS } from '../src/platform/time.js';
import { FakeClock } from './helpers/fake-clock.js';
import { DAEMON_QUERY, openRaw, waitFor, type RawResponse } from './helpers/emulator-stream-client.js';

const emulators: XEmulator[] = [];
const opened: RawResponse[] = [];
after(async () => {
  for (const response of opened) response.close();
  await Promise.all(emulators.map((e) => e.close()));
});

async function emulator(options: Parameters<typeof startXEmulator>[0] = {}): Promise<XEmulator> {
  const started = await startXEmulator(options);
  emulators.push(started);
  return started;
}

async function lookup(base: string, query: string, token: string | null = 'test-token') {
  const response = await fetch(`${base}/2/tweets?${query}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe('X API emulator: GET /2/tweets', () => {
  it('answers with the very tweet and author the stream sent for an ID', async () => {
    const emu = await emulator({ ratePerS: 200 });
    const stream = await openRaw(emu.url, `/2/tweets/sample/stream?${DAEMON_QUERY}`, 'test-token');
    opened.push(stream);
    let streamed: { data: { id: string }; includes: unknown } | undefined;
    await waitFor(() => {
      const line = stream.body().toString('utf8').split('\r\n').find((text) => text.startsWith('{"data"'));
      if (line) streamed = JSON.parse(line);
      return streamed !== undefined;
    }, 'a streamed tweet');
    const answer = await lookup(emu.url, `ids=${streamed!.data.id}&${DAEMON_QUERY}`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { data: [streamed!.data], includes: streamed!.includes });
  });

  it('lists unknown and deleted IDs as resource-not-found errors, in request order around the found ones', async () => {
    const clock = new FakeClock('2026-11-22T10:00:00Z');
    const emu = await emulator({ clock, deletedEvery: 3 });
    const ids = emu.sampleIds(clock.now() - 60 * SECOND_MS, clock.now() - 59 * SECOND_MS).slice(0, 30);
    const deleted = ids.filter((id) => BigInt(id) % 3n === 0n);
    const future = emu.sampleIds(clock.now() + SECOND_MS, clock.now() + 2 * SECOND_MS)[0]!;
    const answer = await lookup(emu.url, `ids=${[...ids, '20', future].join(',')}&tweet.fields=created_at&expansions=author_id`);
    assert.equal(answer.status, 200);
    const data = answer.body.data as Array<{ id: string; created_at: string }>;
    assert.deepEqual(data.map((t) => t.id), ids.filter((id) => !deleted.includes(id)));
    const errors = answer.body.errors as Array<Record<string, string>>;
    assert.ok(deleted.length > 0);
    assert.deepEqual(errors.map((e) => e.resource_id), [...deleted, '20', future], 'deleted, unknown and not yet posted IDs');
    assert.deepEqual(errors[0], {
      value: errors[0]!.resource_id,
      detail: `Could not find tweet with ids: [${errors[0]!.resource_id}].`,
      title: 'Not Found Error',
      resource_type: 'tweet',
      parameter: 'ids',
      resource_id: errors[0]!.resource_id,
      type: 'https://api.twitter.com/2/problems/resource-not-found',
    });
    assert.ok((answer.body.includes as { users: unknown[] }).users.length > 0);
  });

  it('checks the bearer token, and answers 400 for no IDs, more than 100, a non-numeric one and a bad field', async () => {
    const emu = await emulator({ token: 'right' });
    assert.equal((await lookup(emu.url, 'ids=1', null)).status, 401);
    assert.equal((await lookup(emu.url, 'ids=1', 'wrong')).status, 401);
    const many = Array.from({ length: 101 }, (_, i) => String(i + 1)).join(',');
    const cases: Array<[string, RegExp]> = [
      ['tweet.fields=text', /The `ids` query parameter can not be empty/],
      [`ids=${many}`, /The number of values in the `ids` query parameter list \[101\] is not between 1 and 100/],
      ['ids=12,abc', /The `ids` query parameter value \[abc\] does not match/],
      ['ids=12&tweet.fields=bogus', /The `tweet.fields` query parameter value \[bogus\] is not one of/],
      ['ids=12&partition=1', /The query parameter \[partition\] is not one of/],
    ];
    for (const [query, message] of cases) {
      const answer = await lookup(emu.url, query, 'right');
      assert.equal(answer.status, 400, query);
      assert.equal(answer.body.title, 'Invalid Request');
      assert.match(JSON.stringify(answer.body.errors), message, query);
    }
  });

  it('counts lookups per token in a window and answers 429 with x-rate-limit headers past the limit', async () => {
    const clock = new FakeClock('2026-11-22T10:00:00Z');
    const emu = await emulator({ clock, lookupLimit: 2, windowS: 15 });
    const first = await lookup(emu.url, 'ids=20');
    assert.equal(first.headers.get('x-rate-limit-limit'), '2');
    assert.equal(first.headers.get('x-rate-limit-remaining'), '1');
    assert.equal(first.headers.get('x-rate-limit-reset'), String(Date.parse('2026-11-22T10:00:15Z') / 1000));
    assert.equal((await lookup(emu.url, 'ids=20')).headers.get('x-rate-limit-remaining'), '0');
    const limited = await lookup(emu.url, 'ids=20');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('x-rate-limit-remaining'), '0');
    assert.equal((await lookup(emu.url, 'ids=20', 'another-token')).status, 200, 'windows are per token');
    await clock.advance(15 * SECOND_MS);
    assert.equal((await lookup(emu.url, 'ids=20')).status, 200, 'a new window after the reset');
    assert.equal(emu.stats().lookupRequests, 4);
  });
});
