import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { startXEmulator, type XEmulator } from '../src/emulator/index.js';
import { DAEMON_QUERY } from './helpers/emulator-stream-client.js';

const emulators: XEmulator[] = [];
const requests: ReturnType<typeof request>[] = [];
after(async () => {
  for (const req of requests) req.destroy();
  await Promise.all(emulators.map((e) => e.close()));
});

async function unpaced(): Promise<{ emu: XEmulator; res: IncomingMessage }> {
  const emu = await startXEmulator({ ratePerS: 0 });
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
  it('sends as fast as the reader takes (well above the 20,000 messages/s floor of the daemon)', async () => {
    const { emu, res } = await unpaced();
    let lines = 0;
    res.on('data', (chunk: Buffer) => {
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
    });
    const startedAt = performance.now();
    await delay(1000);
    const perS = lines / ((performance.now() - startedAt) / 1000);
    assert.ok(perS > 20_000, `${Math.round(perS)} messages/s`);
    assert.ok(emu.stats().messagesSent >= lines);
  });

  it('stops writing while the reader does not read (backpressure)', async () => {
    const { emu, res } = await unpaced();
    res.pause();
    await delay(300);
    const sentWhilePaused = emu.stats().messagesSent;
    await delay(300);
    assert.ok(emu.stats().messagesSent - sentWhilePaused < 1000, 'no more than buffered data is produced');
    let received = 0;
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
    });
    res.resume();
    await delay(200);
    assert.ok(emu.stats().messagesSent > sentWhilePaused + 1000, 'writing resumes on drain');
    assert.ok(received > 0);
  });
});
