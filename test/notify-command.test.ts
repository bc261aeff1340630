import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { testSettings } from './helpers/settings.js';
import { makeTestCertificate, mimeHeader, mimeParts, refusedPort, startSmtpServer } from './helpers/smtp.js';
import { tempDir } from './helpers/tmp.js';
import { writeStreamJson } from './helpers/spool-writer.js';
import { runCli } from './helpers/run-cli.js';

process.env.LOG_LEVEL = 'silent';

const root = await tempDir('notify-command-');
const cert = await makeTestCertificate(root);
const server = await startSmtpServer({ cert });
after(() => server.close());

async function config(port: number, email: Record<string, unknown> = {}): Promise<string> {
  const { configPath, settings } = await testSettings(root, {
    email: { enabled: true, smtp_host: '127.0.0.1', smtp_port: port, ca_file: cert.certFile, from: 's1@example.org', to: ['ops@example.org'], ...email },
  });
  await writeStreamJson(settings.paths.state, { watermark: '2026-11-22T09:59:59.000Z' });
  return configPath;
}

function notify(configPath: string, ...args: string[]) {
  return runCli(['notify', ...args, '--config', configPath]);
}

test('notify daemon-stopped --result success sends nothing', async () => {
  const before = server.messages.length;
  const { code } = await notify(await config(server.port), 'daemon-stopped', '--result', 'success', '--status', '0');
  assert.equal(code, 0);
  assert.equal(server.messages.length, before);
});

test('notify daemon-stopped with a failure result mails the result and the last stream state', async () => {
  const before = server.messages.length;
  const configPath = await config(server.port);
  assert.equal((await notify(configPath, 'daemon-stopped', '--result', 'exit-code', '--status', '1')).code, 0);
  assert.equal((await notify(configPath, 'daemon-stopped', '--result', 'resources')).code, 0);
  const [first, second] = server.messages.slice(before);
  assert.equal(mimeHeader(first!.raw, 'subject'), 'sampled-stream server1: stream daemon stopped: result exit-code, status 1');
  assert.match(mimeParts(first!.raw)[0]!.body, /"last_message_at": "2026-11-22T09:59:59.000Z"/);
  assert.equal(mimeHeader(second!.raw, 'subject'), 'sampled-stream server1: stream daemon stopped: result resources, status unknown');
});

test('notify unit-failed and notify test send their mails', async () => {
  const before = server.messages.length;
  const configPath = await config(server.port);
  assert.equal((await notify(configPath, 'unit-failed', '--unit', 'sampled-stream-stream.service')).code, 0);
  const sent = await notify(configPath, 'test');
  assert.equal(sent.code, 0);
  assert.match(sent.out, /^sent: sampled-stream server1: test mail$/m);
  assert.deepEqual(
    server.messages.slice(before).map((m) => mimeHeader(m.raw, 'subject')),
    ['sampled-stream server1: sampled-stream-stream.service failed and systemd gave up restarting it', 'sampled-stream server1: test mail'],
  );
});

test('notify exits 1 only when the test mail fails; other failures are logged; test with email disabled is exit 2', async () => {
  const unreachable = await config(await refusedPort());
  const failedTest = await notify(unreachable, 'test');
  assert.equal(failedTest.code, 1);
  assert.match(failedTest.err, /^mail not sent: /);
  assert.equal((await notify(unreachable, 'daemon-stopped', '--result', 'signal', '--status', 'KILL')).code, 0);
  const disabled = await notify(await config(server.port, { enabled: false }), 'test');
  assert.equal(disabled.code, 2);
  assert.match(disabled.err, /'email.enabled' is false: set it to true/);
});

test('notify rejects an unknown event and a missing option with exit 2', async () => {
  const configPath = await config(server.port);
  assert.equal((await notify(configPath, 'reboot')).code, 2);
  const missing = await notify(configPath, 'daemon-stopped', '--status', '1');
  assert.equal(missing.code, 2);
  assert.match(missing.err, /notify daemon-stopped needs --result/);
});
