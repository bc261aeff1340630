import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamState } from '../contracts/index.js';
import { daemonStoppedMail, testMail, unitFailedMail } from './notify-event.js';

const STATE = {
  format_version: 1,
  server: 'server1',
  first_started_at: '2026-11-20T00:00:00.000Z',
  started_at: '2026-11-22T09:00:00.000Z',
  updated_at: '2026-11-22T10:00:00.000Z',
  connected: false,
  last_message_at: '2026-11-22T09:59:58.000Z',
  watermark: '2026-11-22T09:59:00.000Z',
  counters: { messages: 5, tweets: 5, errors: 0, malformed: 0, non_tweet: 0, reconnects: { network: 2 } },
  gaps: Array.from({ length: 8 }, (_, i) => ({ start: `2026-11-22T0${i}:00:00.000Z`, end: `2026-11-22T0${i}:01:00.000Z`, reason: `gap ${i}` })),
  segments: {},
  auth: { state: 'ok' },
} satisfies StreamState;

test('daemonStoppedMail() is null for a clean stop and otherwise carries the result and the last state', () => {
  assert.equal(daemonStoppedMail('server1', 'success', '0', STATE), null);
  const mail = daemonStoppedMail('server1', 'exit-code', '1', STATE);
  assert.equal(mail?.subject, 'sampled-stream server1: stream daemon stopped: result exit-code, status 1');
  assert.match(mail!.text, /"last_message_at": "2026-11-22T09:59:58.000Z"/);
  assert.match(mail!.text, /"reason": "gap 7"/);
  assert.doesNotMatch(mail!.text, /"reason": "gap 2"/, 'only the latest gaps');
  assert.match(daemonStoppedMail('server1', 'signal', 'KILL', null)!.text, /stream\.json: not found/);
});

test('unitFailedMail() and testMail() name the server', () => {
  assert.equal(
    unitFailedMail('server2', 'sampled-stream-stream.service').subject,
    'sampled-stream server2: sampled-stream-stream.service failed and systemd gave up restarting it',
  );
  const mail = testMail('server1', Date.parse('2026-11-22T10:00:00Z'));
  assert.equal(mail.subject, 'sampled-stream server1: test mail');
  assert.match(mail.text, /sent at 2026-11-22T10:00:00.000Z/);
});
