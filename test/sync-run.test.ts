import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { acquireLock } from '../src/platform/lock-file.js';
import { silentLogger } from '../src/platform/logger.js';
import {
  openTransport,
  runSync,
  type SyncDeps,
  type Transport,
} from '../src/sync/index.js';
import {
  readLocalSyncState,
  readSyncState,
} from '../src/contracts/index.js';
import { FakeClock } from './helpers/fake-clock.js';
import { logSink } from './helpers/log-sink.js';
import { server2Setup, startSshd, writeSpoolFile, writeStreamJson, type Server2Setup, type TestSshd } from './helpers/sshd.js';
import { tempDir } from './helpers/tmp.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function filesUnder(root: string, relative = ''): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(root, relative), { withFileTypes: true }).catch(() => [])) {
    const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await filesUnder(root, path)));
    else found.push(path);
  }
  return found.sort();
}

/** A transport whose methods can be replaced one at a time (crash injection, recording). */
function wrapped(inner: Transport, overrides: Partial<Transport>): Transport {
  return { ...inner, ...overrides };
}

let sshd: TestSshd | undefined;
before(async () => {
  sshd = await startSshd();
});
after(() => sshd?.stop());

for (const kind of ['local', 'sftp'] as const) {
  describe(`runSync() over ${kind}`, () => {
    let env: Server2Setup;
    let clock: FakeClock;
    const deps = (extra: Partial<SyncDeps> = {}): SyncDeps => ({ settings: env.settings, clock, log: silentLogger(), ...extra });
    const spool = () => env.settings.paths.spool;
    const state = () => env.settings.paths.state;

    async function fresh(): Promise<void> {
      env = await server2Setup(await tempDir(), kind === 'sftp' ? sshd : undefined);
      clock = new FakeClock('2026-11-22T07:00:30Z');
    }

    it('delivers every closed file complete, with its sha256 in sync-state.json on server 1', async () => {
      await fresh();
      const gaps = [{ start: '2026-11-22T06:10:00.000Z', end: '2026-11-22T06:12:30.000Z', reason: 'network' }];
      await writeStreamJson(state(), '2026-11-22T07:00:00.000Z', gaps);
      const rels = [
        await writeSpoolFile(spool(), '2026-11-22T06:58:00Z', 200),
        await writeSpoolFile(spool(), '2026-11-22T06:59:00Z', 150),
        await writeSpoolFile(spool(), '2026-11-22T06:59:00Z', 3, 1),
      ];
      const originals = await Promise.all(rels.map((rel) => readFile(join(spool(), rel))));
      await mkdir(join(spool(), 'server2/2026-11-22/07'));
      await writeFile(join(spool(), 'server2/2026-11-22/07/2026-11-22T07-00Z.jsonl.part'), 'open minute\n');
      await writeFile(join(spool(), 'server2/2026-11-22/06/core'), 'foreign');

      const result = await runSync(deps());

      assert.equal(result.sent, 3);
      assert.equal(result.foreign, 1);
      assert.deepEqual(await filesUnder(env.target), [...rels, 'server2/.state/sync-state.json'].sort());
      const pushed = await readSyncState(env.target);
      assert.ok(pushed);
      assert.deepEqual(pushed, result.state);
      // Server 2's free space travels with the state, for server 1's daily report.
      assert.deepEqual(pushed.free_space?.map((f) => f.key).sort(), ['paths.spool', 'paths.staging', 'paths.state', 'paths.vault']);
      for (const [i, rel] of rels.entries()) {
        const remote = await readFile(join(env.target, rel));
        assert.ok(remote.equals(originals[i]!), `${rel} arrived intact`);
        assert.equal(pushed.sent[rel], sha256(remote));
      }
      assert.equal(pushed.complete_until, '2026-11-22T07:00:00.000Z');
      assert.deepEqual(pushed.gaps, gaps);
      assert.deepEqual(pushed.backlog, { files: 0, bytes: 0, oldest_minute: null });
      assert.deepEqual(await filesUnder(spool()), ['server2/2026-11-22/06/core', 'server2/2026-11-22/07/2026-11-22T07-00Z.jsonl.part']);
      assert.deepEqual(await filesUnder(join(state(), 'sent')), rels.slice().sort());
      const local = await readLocalSyncState(state());
      assert.deepEqual(local?.last_run, { at: '2026-11-22T07:00:30.000Z', ok: true, error: null });
      assert.deepEqual(local?.sent, pushed.sent);
    });

    it('drains a backlog oldest first and then moves complete_until to the watermark', async () => {
      await fresh();
      await writeStreamJson(state(), '2026-11-22T09:00:00.000Z');
      const minutes = ['2026-11-22T08:10:00Z', '2026-11-22T06:59:00Z', '2026-11-22T07:00:00Z', '2026-11-21T23:59:00Z', '2026-11-22T08:09:00Z'];
      for (const minute of minutes) await writeSpoolFile(spool(), minute, 20);
      await writeSpoolFile(spool(), '2026-11-22T07:00:00Z', 5, 2);
      const transport = await openTransport(env.settings, silentLogger());
      const renamed: string[] = [];
      const recording = wrapped(transport, {
        rename: async (from, to, options) => {
          renamed.push(to);
          await transport.rename(from, to, options);
        },
      });
      try {
        const result = await runSync(deps({ transport: recording }));
        assert.equal(result.sent, 6);
        assert.equal(result.state?.complete_until, '2026-11-22T09:00:00.000Z');
      } finally {
        await transport.close();
      }
      assert.deepEqual(renamed, [
        'server2/2026-11-21/23/2026-11-21T23-59Z.jsonl',
        'server2/2026-11-22/06/2026-11-22T06-59Z.jsonl',
        'server2/2026-11-22/07/2026-11-22T07-00Z.jsonl',
        'server2/2026-11-22/07/2026-11-22T07-00Z_2.jsonl',
        'server2/2026-11-22/08/2026-11-22T08-09Z.jsonl',
        'server2/2026-11-22/08/2026-11-22T08-10Z.jsonl',
        'server2/.state/sync-state.json',
      ]);
    });

    it('stops at the first failure, records the backlog locally, and the next run resumes without loss', async () => {
      await fresh();
      await writeStreamJson(state(), '2026-11-22T07:00:00.000Z');
      const rels = [];
      for (const minute of ['2026-11-22T06:50:00Z', '2026-11-22T06:51:00Z', '2026-11-22T06:52:00Z']) {
        rels.push(await writeSpoolFile(spool(), minute, 50));
      }
      const transport = await openTransport(env.settings, silentLogger());
      let uploads = 0;
      const failing = wrapped(transport, {
        upload: async (localPath, path) => {
          if (++uploads === 2) throw new Error('connection lost');
          await transport.upload(localPath, path);
        },
      });
      await assert.rejects(runSync(deps({ transport: failing })), /connection lost/);
      await transport.close();
      const local = await readLocalSyncState(state());
      assert.equal(local?.last_run?.ok, false);
      assert.equal(local?.last_run?.error, 'connection lost');
      assert.equal(local?.complete_until, '2026-11-22T06:51:00.000Z');
      assert.equal(local?.backlog.files, 2);
      assert.equal(local?.backlog.oldest_minute, '2026-11-22T06:51:00.000Z');
      assert.equal(await readSyncState(env.target), null, 'no state is pushed before every file it covers');

      const result = await runSync(deps());
      assert.equal(result.sent, 2);
      assert.deepEqual(await filesUnder(env.target), [...rels, 'server2/.state/sync-state.json'].sort());
      const pushed = await readSyncState(env.target);
      assert.equal(pushed?.complete_until, '2026-11-22T07:00:00.000Z');
      for (const rel of rels) assert.equal(pushed?.sent[rel], sha256(await readFile(join(env.target, rel))));
    });

    it('recovers from a crash between upload and rename: the file is uploaded again, once', async () => {
      await fresh();
      const rel = await writeSpoolFile(spool(), '2026-11-22T06:40:00Z', 80);
      const original = await readFile(join(spool(), rel));
      const transport = await openTransport(env.settings, silentLogger());
      const crashing = wrapped(transport, {
        rename: async () => {
          throw new Error('killed before rename');
        },
      });
      await assert.rejects(runSync(deps({ transport: crashing })), /killed before rename/);
      await transport.close();
      const result = await runSync(deps());
      assert.equal(result.sent, 1);
      assert.equal(result.alreadyDelivered, 0);
      assert.deepEqual(await filesUnder(join(env.target, 'server2/2026-11-22')), ['06/2026-11-22T06-40Z.jsonl']);
      assert.ok((await readFile(join(env.target, rel))).equals(original));
    });

    it('a failed run removes the uploads it staged but did not rename', async () => {
      await fresh();
      const rels = [];
      for (const minute of ['2026-11-22T06:30:00Z', '2026-11-22T06:31:00Z', '2026-11-22T06:32:00Z']) {
        rels.push(await writeSpoolFile(spool(), minute, 50));
      }
      const transport = await openTransport(env.settings, silentLogger());
      const failing = wrapped(transport, {
        rename: async () => {
          throw new Error('rename refused');
        },
      });
      await assert.rejects(runSync(deps({ transport: failing })), /rename refused/);
      await transport.close();
      assert.deepEqual(await filesUnder(env.target), [], 'neither the failed file nor the one uploaded ahead is left');
      assert.deepEqual(await filesUnder(spool()), rels);
    });

    it('recovers from a crash between rename and the local move: recognised as already delivered', async () => {
      await fresh();
      const rel = await writeSpoolFile(spool(), '2026-11-22T06:41:00Z', 80);
      const original = await readFile(join(spool(), rel));
      const transport = await openTransport(env.settings, silentLogger());
      const crashing = wrapped(transport, {
        rename: async (from, to, options) => {
          await transport.rename(from, to, options);
          throw new Error('killed after rename');
        },
      });
      await assert.rejects(runSync(deps({ transport: crashing })), /killed after rename/);
      await transport.close();
      assert.deepEqual(await filesUnder(spool()), [rel], 'the local file is still in the spool');

      const result = await runSync(deps());
      assert.equal(result.sent, 0);
      assert.equal(result.alreadyDelivered, 1);
      assert.deepEqual(await filesUnder(spool()), []);
      assert.deepEqual(await filesUnder(join(env.target, 'server2/2026-11-22')), ['06/2026-11-22T06-41Z.jsonl']);
      assert.ok((await readFile(join(env.target, rel))).equals(original));
      assert.equal((await readSyncState(env.target))?.sent[rel], sha256(original));
    });

    it('never replaces a different file already on server 1, and names both paths', async () => {
      await fresh();
      const rel = await writeSpoolFile(spool(), '2026-11-22T06:42:00Z', 10);
      const original = await readFile(join(spool(), rel));
      for (const imposter of [Buffer.from('short\n'), Buffer.alloc(original.length, 'x')]) {
        await mkdir(join(env.target, 'server2/2026-11-22/06'), { recursive: true });
        await writeFile(join(env.target, rel), imposter);
        await assert.rejects(runSync(deps()), (err: Error) => {
          assert.ok(err.message.includes(join(spool(), rel)), err.message);
          assert.ok(err.message.includes(`${rel} already exists`), err.message);
          return true;
        });
        assert.ok((await readFile(join(env.target, rel))).equals(imposter));
        assert.deepEqual(await filesUnder(spool()), [rel]);
      }
    });

    it('--resend sends the kept copy of a minute again, replacing server 1\'s file', async () => {
      await fresh();
      const rel = await writeSpoolFile(spool(), '2026-11-22T06:43:00Z', 30);
      const other = await writeSpoolFile(spool(), '2026-11-22T06:44:00Z', 30);
      const original = await readFile(join(spool(), rel));
      await runSync(deps());
      await writeFile(join(env.target, rel), 'corrupted on the way\n');
      await rm(join(env.target, other));

      const result = await runSync(deps(), { resend: '2026-11-22T06-43' });
      assert.equal(result.resent, 1);
      assert.ok((await readFile(join(env.target, rel))).equals(original));
      assert.deepEqual(await filesUnder(join(env.target, 'server2/2026-11-22')), ['06/2026-11-22T06-43Z.jsonl']);
      assert.equal((await readSyncState(env.target))?.sent[rel], sha256(original));
      await assert.rejects(runSync(deps(), { resend: '2026-11-22T05-00' }), /no kept copy in .*keep_sent_h' = 24 hours/);
      await assert.rejects(runSync(deps(), { resend: '2026-11-22 05:00' }), RangeError);
    });

    it('leaves complete_until where it was without stream.json, reading it back from server 1', async () => {
      await fresh();
      await writeStreamJson(state(), '2026-11-22T06:30:00.000Z');
      await writeSpoolFile(spool(), '2026-11-22T06:20:00Z', 5);
      await runSync(deps());
      await rm(join(state(), 'stream.json'));
      await rm(join(state(), 'sync-state.json'));
      await writeSpoolFile(spool(), '2026-11-22T06:45:00Z', 5);
      const result = await runSync(deps());
      assert.equal(result.sent, 1);
      assert.equal((await readSyncState(env.target))?.complete_until, '2026-11-22T06:30:00.000Z');
    });

    it('keeps sent copies keep_sent_h hours, then prunes them and their hashes', async () => {
      await fresh();
      const first = await writeSpoolFile(spool(), '2026-11-22T06:00:00Z', 5);
      await runSync(deps());
      await clock.advance(23 * 3_600_000);
      const second = await writeSpoolFile(spool(), '2026-11-23T05:00:00Z', 5);
      let result = await runSync(deps());
      assert.deepEqual(result.pruned, { count: 0, bytes: 0 });
      assert.deepEqual(Object.keys(result.state?.sent ?? {}).sort(), [first, second]);
      await clock.advance(2 * 3_600_000);
      const sink = logSink();
      result = await runSync(deps({ log: sink.log }));
      const firstBytes = (await stat(join(env.target, first))).size;
      assert.deepEqual(result.pruned, { count: 1, bytes: firstBytes });
      const logged = sink.lines().filter((line) => line.folder === 'sent');
      assert.deepEqual(logged.map(({ count, bytes, msg }) => ({ count, bytes, msg })), [
        { count: 1, bytes: firstBytes, msg: `retention pruned 1 entries (${firstBytes} bytes) from sent/` },
      ]);
      assert.deepEqual(Object.keys(result.state?.sent ?? {}), [second]);
      assert.deepEqual(await filesUnder(join(state(), 'sent')), [second]);
    });

    it('does nothing and says so when another run holds the lock', async () => {
      await fresh();
      await writeSpoolFile(spool(), '2026-11-22T06:00:00Z', 5);
      const lock = await acquireLock(join(state(), 'sync.lock'));
      const sink = logSink();
      try {
        const result = await runSync({ ...deps(), log: sink.log });
        assert.equal(result.skipped, true);
        assert.equal(result.sent, 0);
      } finally {
        await lock.release();
      }
      assert.ok(sink.lines().some((line) => line.msg === 'sync already running'));
      assert.deepEqual(await filesUnder(env.target), []);
    });
  });
}
