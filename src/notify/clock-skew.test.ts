import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { measureClockSkew, skewFromDateHeader } from './clock-skew.js';

test('skewFromDateHeader() compares the middle of the header second with the middle of the round trip', async (t) => {
  const cases: Array<[string, string | null, number, number, number | null]> = [
    ['in sync', 'Sun, 22 Nov 2026 10:00:00 GMT', Date.parse('2026-11-22T10:00:00.400Z'), Date.parse('2026-11-22T10:00:00.600Z'), 0],
    ['server 3 s ahead', 'Sun, 22 Nov 2026 10:00:03 GMT', Date.parse('2026-11-22T10:00:00.000Z'), Date.parse('2026-11-22T10:00:01.000Z'), 3000],
    ['server 5 s behind', 'Sun, 22 Nov 2026 09:59:55 GMT', Date.parse('2026-11-22T10:00:00.500Z'), Date.parse('2026-11-22T10:00:00.500Z'), -5000],
    ['no header', null, 0, 0, null],
    ['garbage', 'yesterday', 0, 0, null],
  ];
  for (const [name, header, sent, received, want] of cases) {
    await t.test(name, () => assert.equal(skewFromDateHeader(header, sent, received), want));
  }
});

test('measureClockSkew() reads the Date header of a HEAD request and returns null when unreachable', async () => {
  const serverOffsetMs = 30_000;
  const server = createServer((_req, res) => {
    res.sendDate = false;
    res.setHeader('Date', new Date(Date.now() + serverOffsetMs).toUTCString());
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const skew = await measureClockSkew(url, { now: Date.now, timeoutMs: 2_000 });
  assert.ok(skew !== null && Math.abs(skew - serverOffsetMs) <= 1_000, `skew ${skew}`);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.equal(await measureClockSkew(url, { now: Date.now, timeoutMs: 2_000 }), null);
});
