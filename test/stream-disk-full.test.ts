import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startXEmulator } from '../src/emulator/index.js';
import { systemClock } from '../src/platform/clock.js';
import { readStreamState } from '../src/contracts/index.js';
import { diskObservation } from '../src/notify/conditions.js';
import { tempDir } from './helpers/tmp.js';
import { fillToEnospc, mountSmallTmpfs } from './helpers/small-fs.js';
import { daemonSettings, readSpool, startDaemon, tweetIds, waitFor } from './helpers/stream-harness.js';

test('stream daemon on a full spool filesystem keeps running, logs the ENOSPC once, and writes again when space returns', async () => {
  const emulator = await startXEmulator({ keepaliveS: 0.2, ratePerS: 100, clock: systemClock });
  const spool = await mountSmallTmpfs(4);
  const setup = await daemonSettings(await tempDir(), emulator.url);
  const settings = { ...setup.settings, paths: { ...setup.settings.paths, spool } };
  const daemon = startDaemon(settings, systemClock);
  let ended = false;
  void daemon.done.finally(() => (ended = true));
  try {
    await waitFor('some lines', async () => (await readSpool(spool)).parts.length > 0);
    const filler = join(spool, 'filler');
    await fillToEnospc(filler);
    const diskFull = () => daemon.sink.lines().filter((l) => l.msg === 'disk full (ENOSPC): dropping received lines until space returns');
    await waitFor('the ENOSPC error', () => diskFull().length > 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(ended, false, 'the daemon kept running on a full disk');
    assert.equal(diskFull().length, 1, 'logged once per full episode');
    // stream.json says so at once, and watch's disk-low condition opens on it.
    const spoolFullSince = async () => (await readStreamState(settings.paths.state))?.spool_full_since ?? null;
    await waitFor('stream.json naming the full spool', async () => (await spoolFullSince()) !== null);
    assert.equal(diskObservation([], settings.alerts.min_free_gb, await spoolFullSince()).open, true);
    await rm(filler);
    await waitFor('writing again', () => daemon.sink.lines().some((l) => l.msg === 'disk space back: writing again'));
    await waitFor('stream.json clearing it', async () => (await spoolFullSince()) === null);
    await daemon.stop();
    const written = await readSpool(spool);
    assert.deepEqual(written.parts, []);
    assert.ok(tweetIds(written.lines).length > 0, 'every closed file parses as whole lines');
  } finally {
    await daemon.stop();
    await emulator.close();
  }
});
