import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rootCertificates } from 'node:tls';
import type { EmailSection } from '../config/index.js';
import { composeMime, DEFAULT_SMTP_TIMEOUTS, mailOptions, smtpTransportOptions } from './mailer.js';

function email(overrides: Partial<EmailSection> = {}): EmailSection {
  return {
    enabled: true,
    smtp_host: 'mail.example.org',
    smtp_port: 587,
    tls: 'starttls',
    ca_file: null,
    username: null,
    password_file: null,
    from: 'stream@example.org',
    to: ['ops@example.org'],
    report_time: '02:00',
    alert_interval_min: 60,
    silence_alert_min: 10,
    sync_backlog_alert_min: 15,
    ...overrides,
  };
}

const NO_SECRETS = { caPem: null, password: null };

test('smtpTransportOptions() maps email.tls to STARTTLS required, implicit TLS or none, always verifying', async (t) => {
  const cases: Array<[EmailSection['tls'], { secure: boolean; requireTLS: boolean; ignoreTLS: boolean }]> = [
    ['starttls', { secure: false, requireTLS: true, ignoreTLS: false }],
    ['tls', { secure: true, requireTLS: false, ignoreTLS: false }],
    ['none', { secure: false, requireTLS: false, ignoreTLS: true }],
  ];
  for (const [tls, want] of cases) {
    await t.test(tls, () => {
      const options = smtpTransportOptions(email({ tls }), NO_SECRETS, DEFAULT_SMTP_TIMEOUTS);
      assert.deepEqual({ secure: options.secure, requireTLS: options.requireTLS, ignoreTLS: options.ignoreTLS }, want);
      assert.equal(options.tls?.rejectUnauthorized, true);
      assert.equal(options.tls?.ca, undefined, 'system CAs when no ca_file');
      assert.equal(options.auth, undefined);
    });
  }
});

test('smtpTransportOptions() adds ca_file to the system CAs, logs in only with a username, and sets every timeout', () => {
  const options = smtpTransportOptions(
    email({ username: 'stream', password_file: '/etc/pw' }),
    { caPem: 'PEM', password: 'secret' },
    { connectionMs: 1, greetingMs: 2, socketMs: 3, totalMs: 4 },
  );
  assert.deepEqual(options.tls?.ca, [...rootCertificates, 'PEM']);
  assert.deepEqual(options.auth, { user: 'stream', pass: 'secret' });
  assert.deepEqual(
    [options.connectionTimeout, options.greetingTimeout, options.socketTimeout, options.dnsTimeout],
    [1, 2, 3, 1],
  );
});

test('mailOptions() needs from and to; composeMime() works without them', async () => {
  assert.throws(() => mailOptions(email({ to: null }), { subject: 's', text: 't' }), /set 'email.from' and 'email.to'/);
  const mime = (await composeMime(email({ from: null, to: null }), { subject: 'Report', text: 'plain', html: '<p>rich</p>' }, Date.parse('2026-11-22T02:00:00Z'))).toString();
  assert.match(mime, /^From: "sampled-stream" <sampled-stream@localhost>\r$/m);
  assert.match(mime, /^Subject: Report\r$/m);
  assert.match(mime, /^Date: Sun, 22 Nov 2026 02:00:00 \+0000\r$/m);
  assert.match(mime, /multipart\/alternative/);
});
