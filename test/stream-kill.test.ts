import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startXEmulator } from '../src/emulator/index.js';
import { parseLedger } from '../src/emulator/send-ledger.js';
import { SeededRandom } from '../src/platform/seeded-random.js';
import { tempDir } from './helpers/tmp.js';
import { daemonSettings, readSpool, spawnDaemon, tweetIds, waitFor, type DaemonProcess } from './helpers/stream-harness.js';

const KILLS = 4;
/** A tweet written to the socket this long before the kill has been read by a live daemon. */
const READ_MARGIN_MS = 100;

interface Kill {
  connection: number;
  atMs: number;
}

function killIfRunning(daemon: DaemonProcess): void {
  if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill('SIGKILL');
}

test('stream daemon killed with -9 at random moments loses nothing it had read: every ledger ID sent 100 ms before each kill is in the spool', async () => {
  const root = await tempDir();
  const ledgerPath = join(root, 'ledger.tsv');
  const emulator = await startXEmulator({ ratePerS: 150, keepaliveS: 1, seed: 12, ledger: ledgerPath });
  const random = new SeededRandom(20261206);
  const kills: Kill[] = [];
  let daemon: DaemonProcess | null = null;
  try {
    const { settings, configPath } = await daemonSettings(root, emulator.url);
    for (let run = 1; run <= KILLS + 1; run++) {
      daemon = spawnDaemon(configPath);
      const started = daemon;
      await waitFor(`connection ${run}`, () => emulator.stats().connectionsAccepted >= run && emulator.activeConnections() === 1, 30_000);
      if (run > KILLS) break;
      // Seeded, so a failure replays; the spread covers kills early and late in a minute file's life.
      await sleep(random.int(300, 2_500));
      kills.push({ connection: run, atMs: Date.now() });
      started.child.kill('SIGKILL');
      const [, signal] = await started.exit;
      assert.equal(signal, 'SIGKILL', started.output());
    }
    // The last run closed every .part the kills left (part-recovery at start-up); stop it properly.
    const last = daemon!;
    last.child.kill('SIGTERM');
    const [code] = await last.exit;
    assert.equal(code, 0, last.output());
    const spool = await readSpool(settings.paths.spool);
    assert.deepEqual(spool.parts, []);
    await emulator.close();
    const inSpool = new Set(tweetIds(spool.lines));
    const ledger = parseLedger(await readFile(ledgerPath, 'utf8'));
    for (const kill of kills) {
      const mustHave = ledger.filter((e) => e.connection === kill.connection && e.sentAtMs < kill.atMs - READ_MARGIN_MS);
      assert.ok(mustHave.length > 10, `connection ${kill.connection} delivered tweets before its kill`);
      const lost = mustHave.filter((e) => !inSpool.has(e.id));
      assert.deepEqual(
        lost.map((e) => `${e.id} sent ${kill.atMs - e.sentAtMs} ms before the kill`),
        [],
        `kill of connection ${kill.connection} lost tweets the daemon had read`,
      );
    }
  } finally {
    if (daemon) killIfRunning(daemon);
    await emulator.close();
  }
});
