import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { startXEmulator, type XEmulator } from '../src/emulator/index.js';
import { DAEMON_QUERY } from './helpers/emulator-stream-client.js';
import { FakeClock } from './helpers/fake-clock.js';
import { waitFor } from './helpers/stream-harness.js';

const emulators: XEmulator[] = [];
const requests: ReturnType<typeof request>[] = [];
after(async () => {
  for (const req of requests) req.destroy();
  await Promise.all(emulators.map((e) => e.close()));
});

/** An unpaced emulator on a clock that never moves: whatever it sends, it sends without waiting for time. */
async function unpaced(): Promise<{ emu: XEmulator; res: IncomingMessage }> {
  const emu = await startXEmulator({ ratePerS: 0, clock: new FakeClock('2026-11-22T10:00:00Z') });
  emulators.push(emu);
  const req = request(`${emu.url}/2/tweets/sample/stream?${DAEMON_QUERY}`, {
    agent: false,
    headers: { authorization: 'Bearer t' },
  });
  requests.push(req);
  req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  return { emu, res };
}

describe('X API emulator at ratePerS 0', () => {
  it('sends as fast as the reader takes: its clock stands still, and the messages keep coming', async () => {
    const { emu, res } = await unpaced();
    let lines = 0;
    res.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
    });
    // A paced stream on a frozen clock would send nothing after its first moment; this one sends a backlog's worth.
    await waitFor('50,000 messages on a frozen clock', () => lines >= 50_000, 120_000);
    assert.ok(emu.stats().messagesSent >= lines);
  });

  it('stops writing while the reader does not read (backpressure), and writes on once it reads', async () => {
    const { emu, res } = await unpaced();
    res.pause();
    // The socket buffers fill, then sending stops: the count settles however slowly this machine runs.
    let settled = -1;
    await waitFor('sending to stop', async () => {
      const before = emu.stats().messagesSent;
      await delay(200);
      const still = before > 0 && emu.stats().messagesSent === before;
      if (still) settled = before;
      return still;
    }, 60_000);
    await delay(300);
    assert.equal(emu.stats().messagesSent, settled, 'nothing more is produced while the reader holds back');
    let received = 0;
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    res.resume();
    await waitFor('writing to resume on drain', () => emu.stats().messagesSent > settled + 1000, 60_000);
    assert.ok(received > 0);
  });
});
