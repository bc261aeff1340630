import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamState } from '../contracts/index.js';
import type { SyncState } from '../contracts/sync-state.js';
import {
  badInputObservation,
  authObservation,
  clockSkewObservation,
  diskObservation,
  osfObservation,
  silenceObservation,
  syncBacklogObservation,
  syncSilenceObservation,
  usageCapObservation,
} from './conditions.js';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const ago = (min: number) => new Date(NOW - min * 60_000).toISOString();

function stream(overrides: Partial<StreamState> = {}): StreamState {
  return {
    format_version: 1,
    server: 'server1',
    first_started_at: ago(600),
    started_at: ago(120),
    updated_at: ago(0),
    connected: true,
    last_message_at: ago(0),
    watermark: ago(1),
    counters: { messages: 10, tweets: 9, errors: 0, malformed: 0, non_tweet: 1, reconnects: {} },
    gaps: [],
    segments: {},
    auth: { state: 'ok' },
    usage_capped_at: null,
    ...overrides,
  };
}

function sync(overrides: Partial<SyncState> = {}): SyncState {
  return {
    format_version: 1,
    server: 'server2',
    complete_until: ago(1),
    gaps: [],
    backlog: { files: 0, bytes: 0, oldest_minute: null },
    sent: {},
    updated_at: ago(0),
    ...overrides,
  };
}

type Case<I> = { name: string; input: I; open: boolean; detail: RegExp };

async function table<I>(t: test.TestContext, cases: Array<Case<I>>, observe: (input: I) => { open: boolean; detail: string } | null) {
  for (const c of cases) {
    await t.test(c.name, () => {
      const o = observe(c.input);
      assert.ok(o !== null);
      assert.equal(o.open, c.open);
      assert.match(o.detail, c.detail);
    });
  }
}

test('silenceObservation() opens on no message or a stale stream.json (daemon down)', (t) =>
  table<StreamState | null>(
    t,
    [
      { name: 'fresh', input: stream(), open: false, detail: /last message at/ },
      { name: 'no stream.json', input: null, open: true, detail: /never run/ },
      { name: 'daemon down', input: stream({ updated_at: ago(11), last_message_at: ago(11) }), open: true, detail: /stream daemon down: stream.json not updated since .* \(11 min\)/ },
      { name: 'connected but silent', input: stream({ last_message_at: ago(15), connected: false }), open: true, detail: /no message from the X API since .* \(15 min\); connected: no/ },
      { name: 'just under the limit', input: stream({ last_message_at: ago(9) }), open: false, detail: /last message/ },
      { name: 'never a message since start', input: stream({ last_message_at: null, started_at: ago(30) }), open: true, detail: /since the daemon started at/ },
    ],
    (s) => silenceObservation(s, NOW, 10),
  ));

test('authObservation() opens when the X API rejected the token', (t) =>
  table<StreamState | null>(
    t,
    [
      { name: 'accepted', input: stream(), open: false, detail: /accepted/ },
      { name: 'no state', input: null, open: false, detail: /accepted/ },
      {
        name: 'rejected 401',
        input: stream({ auth: { state: 'rejected', status: 401, detail: 'Unauthorized', at: ago(2) } }),
        open: true,
        detail: /rejected the bearer token with HTTP 401: Unauthorized .*x_api\.bearer_token_file/,
      },
      {
        name: 'token file unusable',
        input: stream({ auth: { state: 'rejected', detail: "Cannot use 'x_api.bearer_token_file' (/etc/t): the file is empty", at: ago(1) } }),
        open: true,
        detail: /^the stream daemon cannot use its bearer token: Cannot use 'x_api\.bearer_token_file' \(\/etc\/t\): the file is empty \(at /,
      },
    ],
    authObservation,
  ));

test('usageCapObservation() opens while no message arrived after the cap', (t) =>
  table<StreamState | null>(
    t,
    [
      { name: 'no cap', input: stream(), open: false, detail: /no usage cap/ },
      { name: 'capped', input: stream({ usage_capped_at: ago(5), last_message_at: ago(6) }), open: true, detail: /usage cap exceeded since/ },
      { name: 'data flows again', input: stream({ usage_capped_at: ago(5), last_message_at: ago(0) }), open: false, detail: /no usage cap/ },
    ],
    usageCapObservation,
  ));

test('syncBacklogObservation() opens on an old unsent minute or a sync that stopped running (server 2)', (t) =>
  table<{ local: SyncState | null; stream: StreamState | null }>(
    t,
    [
      { name: 'up to date', input: { local: sync(), stream: stream() }, open: false, detail: /0 spool files waiting/ },
      {
        name: 'old backlog',
        input: { local: sync({ backlog: { files: 40, bytes: 52_000_000, oldest_minute: ago(20) } }), stream: stream() },
        open: true,
        detail: /40 spool files \(52\.0 MB\) not yet on server 1; the oldest minute is .* \(20 min ago\)/,
      },
      { name: 'young backlog', input: { local: sync({ backlog: { files: 3, bytes: 1, oldest_minute: ago(4) } }), stream: stream() }, open: false, detail: /3 spool files waiting/ },
      {
        name: 'sync stopped running',
        input: { local: sync({ updated_at: ago(40), last_run: { at: ago(30), ok: false, error: 'ECONNREFUSED' } }), stream: stream() },
        open: true,
        detail: /sync has not run since .* \(30 min\); last run failed: ECONNREFUSED/,
      },
      { name: 'never ran, daemon young', input: { local: null, stream: stream({ first_started_at: ago(5) }) }, open: false, detail: /not run yet/ },
      { name: 'never ran, daemon old', input: { local: null, stream: stream() }, open: true, detail: /never run/ },
    ],
    ({ local, stream: s }) => syncBacklogObservation(local, s, NOW, 15),
  ));

test("syncSilenceObservation() opens when server 2's sync-state.json is stale (server 1)", (t) =>
  table<{ remote: SyncState | null; stream: StreamState | null }>(
    t,
    [
      { name: 'fresh', input: { remote: sync({ updated_at: ago(2) }), stream: stream() }, open: false, detail: /synced at/ },
      { name: 'stale', input: { remote: sync({ updated_at: ago(25) }), stream: stream() }, open: true, detail: /has not synced since .* \(25 min\)/ },
      { name: 'never, just installed', input: { remote: null, stream: stream({ first_started_at: ago(3) }) }, open: false, detail: /waiting for the first sync/ },
      { name: 'never, long running', input: { remote: null, stream: stream() }, open: true, detail: /never synced/ },
    ],
    ({ remote, stream: s }) => syncSilenceObservation(remote, s, NOW, 10),
  ));

test('diskObservation() opens when any folder has less free space than the limit', (t) =>
  table(
    t,
    [
      { name: 'plenty', input: [{ key: 'paths.spool', path: '/s', freeBytes: 50e9 }], open: false, detail: /every folder/ },
      {
        name: 'one low',
        input: [
          { key: 'paths.spool', path: '/s', freeBytes: 50e9 },
          { key: 'paths.vault', path: '/v', freeBytes: 2.5e9 },
        ],
        open: true,
        detail: /^less than 10 GB free: paths\.vault \/v has 2\.5 GB$/,
      },
    ],
    (folders) => diskObservation(folders, 10),
  ));

test('diskObservation() opens at once when the stream daemon finds its spool disk full, whatever statfs says', () => {
  const plenty = [{ key: 'paths.spool', path: '/s', freeBytes: 50e9 }];
  const full = diskObservation(plenty, 10, '2026-11-22T10:00:05.000Z');
  assert.equal(full.open, true);
  assert.match(full.detail, /spool's disk is full since 2026-11-22T10:00:05\.000Z: the stream daemon drops received tweets/);
  assert.equal(diskObservation(plenty, 10, null).open, false);
});

test('diskObservation() stays open while hourly records a publishing shortage, whatever statfs says', () => {
  const plenty = [{ key: 'paths.vault', path: '/v', freeBytes: 50e9 }];
  const shortage = { since: '2026-11-22T11:06:30.000Z', detail: 'hour 2026-11-22T10 not published: paths.vault (/v) has 3 MB free, publishing needs 40 MB' };
  const short = diskObservation(plenty, 10, null, shortage);
  assert.equal(short.open, true);
  assert.equal(short.detail, `hourly cannot publish since 2026-11-22T11:06:30.000Z: ${shortage.detail}`);
  const both = diskObservation([{ key: 'paths.vault', path: '/v', freeBytes: 2.5e9 }], 10, null, shortage);
  assert.match(both.detail, /^hourly cannot publish since .*; less than 10 GB free: paths\.vault \/v has 2\.5 GB$/);
  assert.equal(diskObservation(plenty, 10, null, null).open, false);
});

test('osfObservation() opens on any open OSF alert', (t) =>
  table(
    t,
    [
      { name: 'none', input: [], open: false, detail: /working/ },
      { name: 'quota', input: [{ message: 'OSF storage quota exceeded' }], open: true, detail: /^OSF storage quota exceeded$/ },
    ],
    osfObservation,
  ));

test('clockSkewObservation() opens beyond 2 s and skips an unreachable API', async (t) => {
  await table(
    t,
    [
      { name: 'in sync', input: 300, open: false, detail: /within 0\.3 s/ },
      { name: 'exactly 2 s', input: -2000, open: false, detail: /within 2\.0 s/ },
      { name: 'we are behind', input: 2500, open: true, detail: /off by 2\.5 s .*\(behind\)/ },
      { name: 'we are ahead', input: -7000, open: true, detail: /off by -7\.0 s .*\(ahead\)/ },
    ],
    clockSkewObservation,
  );
  assert.equal(clockSkewObservation(null), null);
});

test('badInputObservation() is open while hourly set files aside within the window, then clears', () => {
  const events = [
    { at: '2026-11-22T09:00:00.000Z', kind: 'foreign-file', path: 'quarantine/server2/notes.txt', detail: 'not a spool file name' },
    { at: '2026-11-22T10:20:00.000Z', kind: 'sha256-mismatch', path: 'quarantine/server2/2026-11-22/10/2026-11-22T10-04Z.jsonl', detail: 'sha256 differs from sync-state' },
  ];
  const open = badInputObservation(events, Date.parse('2026-11-22T10:30:00Z'), 60);
  assert.equal(open.open, true);
  assert.match(open.detail, /^1 file\(s\) set aside by hourly in the last 60 min \(sha256-mismatch\); newest: quarantine\/server2\/2026-11-22\/10\/2026-11-22T10-04Z\.jsonl/);
  assert.equal(badInputObservation(events, Date.parse('2026-11-22T11:30:00Z'), 60).open, false);
  assert.equal(badInputObservation([], Date.parse('2026-11-22T11:30:00Z'), 60).open, false);
});
