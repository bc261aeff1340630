import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/tmp.js';
import { readIngestAlerts, stateFileRepair } from './ingest-alerts.js';
import { readStreamState } from './stream-state.js';
import { readInflightRecord, writeInflightRecord } from './sync-inflight.js';
import { readLocalSyncState, readSyncState, syncStatePath } from './sync-state.js';
import type { StateFileRepair } from './state-file.js';

const SHA = 'ab'.repeat(32);
const syncState = (fields: Record<string, unknown> = {}) => ({
  server: 'server2',
  complete_until: '2026-11-22T10:00:00.000Z',
  gaps: [],
  backlog: { files: 0, bytes: 0, oldest_minute: null },
  sent: { 'server2/2026-11-22/09/2026-11-22T09-59Z.jsonl': SHA },
  updated_at: '2026-11-22T10:00:00.000Z',
  ...fields,
});
const streamState = (fields: Record<string, unknown> = {}) => ({
  server: 'server1',
  first_started_at: '2026-11-22T08:00:00.000Z',
  started_at: '2026-11-22T08:00:00.000Z',
  updated_at: '2026-11-22T10:00:00.000Z',
  connected: true,
  last_message_at: null,
  watermark: '2026-11-22T10:00:00.000Z',
  counters: { messages: 0, tweets: 0, errors: 0, malformed: 0, non_tweet: 0, reconnects: { drop: 1 } },
  gaps: [],
  segments: {},
  auth: { state: 'ok' },
  ...fields,
});

/** One state file: where it lives under a folder, and how its reader is called (with or without repair). */
interface Reader {
  name: string;
  path: (dir: string) => string;
  read: (dir: string, repair?: StateFileRepair) => Promise<unknown>;
  valid: Record<string, unknown>;
}

const readers: Reader[] = [
  { name: 'stream.json', path: (dir) => join(dir, 'stream.json'), read: readStreamState, valid: streamState() },
  { name: "server 1's sync-state.json", path: (dir) => syncStatePath(dir), read: (dir, repair) => readSyncState(dir, 'server2', repair), valid: syncState() },
  { name: "server 2's sync-state.json", path: (dir) => join(dir, 'sync-state.json'), read: readLocalSyncState, valid: syncState() },
  { name: 'sync-inflight.json', path: (dir) => join(dir, 'sync-inflight.json'), read: readInflightRecord, valid: { path: 'server2/x', sha256: SHA } },
];

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

describe('state file readers', () => {
  const nowMs = Date.parse('2026-11-22T10:05:00Z');
  for (const reader of readers) {
    it(`${reader.name}: a file of today's code without format_version reads as version 1`, async () => {
      const dir = await tempDir();
      await put(reader.path(dir), JSON.stringify(reader.valid));
      assert.ok((await reader.read(dir)) !== null);
    });

    it(`${reader.name}: a newer format_version is refused, naming the file and the upgrade`, async () => {
      const dir = await tempDir();
      await put(reader.path(dir), JSON.stringify({ ...reader.valid, format_version: 2 }));
      await assert.rejects(reader.read(dir, stateFileRepair(dir, nowMs)), (err: Error) =>
        err.message.includes(reader.path(dir)) && /upgrade sampled-stream/.test(err.message),
      );
    });

    it(`${reader.name}: a wrong shape is set aside with a corrupt-state-file alert and reads as absent`, async () => {
      const dir = await tempDir();
      await put(reader.path(dir), JSON.stringify({ ...reader.valid, format_version: 1, server: 7, path: 7, sent: [] }));
      await assert.rejects(reader.read(dir), /Cannot read .*: /);
      assert.equal(await reader.read(dir, stateFileRepair(dir, nowMs)), null);
      const [alert] = (await readIngestAlerts(dir)).events;
      assert.equal(alert?.kind, 'corrupt-state-file');
      assert.match(alert?.path ?? '', /\.corrupt-2026-11-22T10-05-00Z$/);
      assert.ok((await readdir(dirname(reader.path(dir)))).some((name) => alert?.path.endsWith(name)));
    });
  }

  it('sync-state.json: a `sent` that is not a map of sha256 is corrupt, not silently empty', async () => {
    for (const sent of [[], 'x', { 'server2/a.jsonl': 42 }, { 'server2/a.jsonl': 'not-a-sha' }]) {
      const dir = await tempDir();
      await put(syncStatePath(dir), JSON.stringify(syncState({ format_version: 1, sent })));
      await assert.rejects(readSyncState(dir), /sent/, JSON.stringify(sent));
    }
  });

  it('sync-inflight.json is written with format_version', async () => {
    const dir = await tempDir();
    await writeInflightRecord(dir, { path: 'server2/x', sha256: SHA });
    assert.equal(JSON.parse(await readFile(join(dir, 'sync-inflight.json'), 'utf8')).format_version, 1);
    assert.deepEqual(await readInflightRecord(dir), { path: 'server2/x', sha256: SHA });
  });
});
