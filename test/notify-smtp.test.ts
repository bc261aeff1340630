import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { hoursOfLabelDay } from '../src/contracts/hour-label.js';
import { formatReportFile, type ReportLine } from '../src/contracts/index.js';
import { createMailer, renderDailyReport, type SmtpTimeouts } from '../src/notify/index.js';
import { logSink } from './helpers/log-sink.js';
import { testSettings } from './helpers/settings.js';
import {
  makeTestCertificate,
  mimeHeader,
  mimeParts,
  refusedPort,
  startSilentServer,
  startSmtpServer,
  type TestCertificate,
} from './helpers/smtp.js';
import { tempDir } from './helpers/tmp.js';

const PASSWORD = 'correct horse battery staple';
/** Roomy limits for servers that answer (a loaded test machine can be slow with TLS handshakes). */
const ROOMY: SmtpTimeouts = { connectionMs: 10_000, greetingMs: 10_000, socketMs: 10_000, totalMs: 20_000 };
/** Short limits for the servers that never answer. */
const FAST: SmtpTimeouts = { connectionMs: 500, greetingMs: 500, socketMs: 500, totalMs: 3_000 };

const root = await tempDir('notify-smtp-');
const cert: TestCertificate = await makeTestCertificate(root);
const passwordFile = join(root, 'secrets', 'smtp_password');
await testSettings(root);
await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });

async function emailSettings(port: number, email: Record<string, unknown> = {}) {
  const { settings } = await testSettings(root, {
    email: { enabled: true, smtp_host: '127.0.0.1', smtp_port: port, from: 'stream@example.org', to: ['ops@example.org'], ...email },
  });
  return settings.email;
}

function exampleReport() {
  const lines: ReportLine[] = Array.from({ length: 24 }, (_, h) => ({
    hour: String(h).padStart(2, '0'),
    serv1: 1000 + h,
    serv2: h === 3 ? 400 : 1000 + h,
    total: 1000 + h,
    diff: h === 3 ? 600 + h : 0,
    only1: h === 3 ? 600 + h : 0,
    only2: 0,
    late: 0,
    gaps1: '',
    gaps2: h === 3 ? '03:00-03:36' : '',
    version: 1,
  }));
  return renderDailyReport({
    date: '2026-11-21',
    timeZone: 'UTC',
    expectServer2: true,
    hours: hoursOfLabelDay('2026-11-21', 'UTC'),
    reportText: formatReportFile(lines),
    uploads: null,
    rejectedLines: 0,
    skewedTweets: 0,
    freeSpace: [],
    generatedAtMs: Date.parse('2026-11-22T02:00:00Z'),
  });
}

test('the daily report arrives over STARTTLS with AUTH, with a text part, an HTML part and the chart', async () => {
  const server = await startSmtpServer({ cert, auth: { user: 'stream', pass: PASSWORD } });
  after(() => server.close());
  const sink = logSink();
  const mailer = createMailer(
    await emailSettings(server.port, { ca_file: cert.certFile, username: 'stream', password_file: passwordFile }),
    { log: sink.log, timeouts: ROOMY },
  );
  const report = exampleReport();
  const result = await mailer.send(report);
  assert.equal(result.ok, true, result.ok ? '' : result.error.message);
  assert.equal(server.messages.length, 1);
  const [message] = server.messages;
  assert.equal(message!.secure, true, 'STARTTLS was used');
  assert.equal(message!.user, 'stream');
  assert.deepEqual(message!.to, ['ops@example.org']);
  assert.equal(mimeHeader(message!.raw, 'subject'), 'sampled-stream 2026-11-21: complete; redundancy used: server 2 missing 03:00-03:36');
  const parts = mimeParts(message!.raw);
  assert.deepEqual(parts.map((p) => p.contentType), ['text/plain', 'text/html']);
  assert.match(parts[0]!.body, /^hour\tserv 1\tserv 2\ttotal\tdiff\tdiff %/m);
  assert.match(parts[0]!.body, /^03\t1003\t400\t1003\t603\t60\.12%/m);
  assert.match(parts[1]!.body, /data-chart="tweets-per-hour"/);
  assert.match(parts[1]!.body, /data-table="hours"/);
  assert.ok(!sink.text().includes(PASSWORD), 'the password never reaches the log');
  assert.match(sink.text(), /"msg":"mail sent"/);
});

test('implicit TLS (email.tls "tls") delivers encrypted; "none" delivers without STARTTLS', async () => {
  const tlsServer = await startSmtpServer({ cert, implicitTls: true });
  const plainServer = await startSmtpServer({ cert });
  after(() => Promise.all([tlsServer.close(), plainServer.close()]));
  const mail = { subject: 'hello', text: 'body' };
  const viaTls = createMailer(await emailSettings(tlsServer.port, { tls: 'tls', ca_file: cert.certFile }), { log: logSink().log, timeouts: ROOMY });
  assert.equal((await viaTls.send(mail)).ok, true);
  assert.equal(tlsServer.messages[0]?.secure, true);
  const viaPlain = createMailer(await emailSettings(plainServer.port, { tls: 'none' }), { log: logSink().log, timeouts: ROOMY });
  assert.equal((await viaPlain.send(mail)).ok, true);
  assert.equal(plainServer.messages[0]?.secure, false);
});

test('a server whose certificate is not trusted is refused, and nothing is delivered', async () => {
  const server = await startSmtpServer({ cert });
  after(() => server.close());
  const sink = logSink();
  const mailer = createMailer(await emailSettings(server.port), { log: sink.log, timeouts: ROOMY });
  const result = await mailer.send({ subject: 'should not arrive', text: 'x' });
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.error.message, /self[- ]signed certificate/i);
  assert.equal(server.messages.length, 0);
  assert.match(sink.text(), /"msg":"mail not sent"/);
});

test('with email.tls "starttls" a server that does not offer STARTTLS gets nothing, not a plaintext mail', async () => {
  let received = 0;
  const plaintextOnly = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, _session, callback) {
      received++;
      stream.resume();
      stream.on('end', () => callback());
    },
  });
  await new Promise<void>((resolve) => plaintextOnly.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => plaintextOnly.close(() => resolve())));
  const port = (plaintextOnly.server.address() as { port: number }).port;
  const mailer = createMailer(await emailSettings(port, { tls: 'starttls', ca_file: cert.certFile }), { log: logSink().log, timeouts: ROOMY });
  const result = await mailer.send({ subject: 'must not go out in clear text', text: 'x' });
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.error.message, /STARTTLS/i);
  assert.equal(received, 0);
});

test('a wrong password fails the send without leaking the password into the log', async () => {
  const server = await startSmtpServer({ cert, auth: { user: 'stream', pass: 'another password' } });
  after(() => server.close());
  const sink = logSink();
  const mailer = createMailer(
    await emailSettings(server.port, { ca_file: cert.certFile, username: 'stream', password_file: passwordFile }),
    { log: sink.log, timeouts: ROOMY },
  );
  const result = await mailer.send({ subject: 'x', text: 'x' });
  assert.equal(result.ok, false);
  assert.equal(server.logins[0]?.pass, PASSWORD, 'the client did try the configured password');
  assert.ok(!sink.text().includes(PASSWORD));
});

test('a server that accepts TCP but never greets, or refuses, does not block beyond the timeout', async () => {
  const silent = await startSilentServer();
  after(() => silent.close());
  for (const port of [silent.port, await refusedPort()]) {
    const mailer = createMailer(await emailSettings(port, { ca_file: cert.certFile }), { log: logSink().log, timeouts: FAST });
    const started = Date.now();
    const result = await mailer.send({ subject: 'x', text: 'x' });
    const tookMs = Date.now() - started;
    assert.equal(result.ok, false);
    assert.ok(tookMs < FAST.greetingMs + 2_000, `returned after ${tookMs} ms`);
  }
});
