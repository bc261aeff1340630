import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatReportFile, type ReportLine } from '../src/contracts/index.js';
import { enqueueUploads } from '../src/osf/index.js';
import { testSettings } from './helpers/settings.js';
import { makeTestCertificate, mimeHeader, mimeParts, refusedPort, startSmtpServer } from './helpers/smtp.js';
import { tempDir } from './helpers/tmp.js';
import { runCli } from './helpers/run-cli.js';

process.env.LOG_LEVEL = 'silent';

const DAY = '2026-11-21';

function line(hour: number): ReportLine {
  return {
    hour: String(hour).padStart(2, '0'),
    serv1: 5000 + hour,
    serv2: 5000 + hour,
    total: 5010 + hour,
    diff: 20,
    only1: 10,
    only2: 10,
    late: 0,
    gaps1: '',
    gaps2: hour === 6 ? '06:10-06:20' : '',
    version: hour === 2 ? 2 : 1,
  };
}

async function setup(email: Record<string, unknown> = {}, hours = 24) {
  const root = await tempDir('notify-report-');
  const tokenFile = join(root, 'osf_token');
  await writeFile(tokenFile, 'osf-token\n', { mode: 0o600 });
  const setup = await testSettings(root, { email, osf: { enabled: true, project_id: 'abc12', token_file: tokenFile } });
  const vaultDay = join(setup.settings.paths.vault, DAY);
  await mkdir(vaultDay, { recursive: true });
  const reportText = formatReportFile(Array.from({ length: hours }, (_, h) => line(h)));
  await writeFile(join(vaultDay, `${DAY}_report.txt`), reportText);
  await writeFile(join(vaultDay, `${DAY}_23_IDs.txt.xz`), 'xz');
  await enqueueUploads(setup.settings.paths.state, [{ localPath: join(vaultDay, `${DAY}_23_IDs.txt.xz`), remotePath: `2026/11/21/${DAY}_23_IDs.txt.xz` }], Date.parse('2026-11-22T00:05:00Z'));
  return { ...setup, reportText };
}

function report(configPath: string, ...args: string[]) {
  return runCli(['report', ...args, '--config', configPath]);
}

test('report --dry-run --out writes the .eml (full MIME) and .html of the previous label day', async () => {
  const { configPath, root, reportText } = await setup();
  const out = join(root, 'out');
  const result = await report(configPath, '--dry-run', '--out', out, '--now', '2026-11-22T02:00:00Z');
  assert.equal(result.code, 0, result.err);
  assert.deepEqual((await readdir(out)).sort(), [`daily-report-${DAY}.eml`, `daily-report-${DAY}.html`]);
  const subject = 'sampled-stream 2026-11-21: complete; redundancy used: server 2 missing 06:10-06:20';
  assert.equal(result.out, `${subject}\nwrote ${out}/daily-report-${DAY}.eml\nwrote ${out}/daily-report-${DAY}.html\n`);
  const eml = await readFile(join(out, `daily-report-${DAY}.eml`), 'utf8');
  assert.equal(mimeHeader(eml, 'subject'), subject);
  assert.match(eml, /^MIME-Version: 1\.0\r$/m);
  const [text, html] = mimeParts(eml);
  assert.ok(text!.body.includes(reportText.replace(/\n/g, '\r\n')), 'the text part holds the report file');
  assert.match(text!.body, /Pending uploads \(1\):\r\n {2}2026\/11\/21\/2026-11-21_23_IDs\.txt\.xz/);
  assert.match(html!.body, /data-chart="tweets-per-hour"/);
  assert.equal(await readFile(join(out, `daily-report-${DAY}.html`), 'utf8'), html!.body.replace(/\r\n/g, '\n'));
});

test('report --day of an unfinished day marks the unpublished hours', async () => {
  const { configPath, root } = await setup({}, 15);
  const out = join(root, 'out');
  const result = await report(configPath, '--day', DAY, '--dry-run', '--out', out);
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /^sampled-stream 2026-11-21: INCOMPLETE: unpublished hours 15-23; redundancy used/);
  const html = await readFile(join(out, `daily-report-${DAY}.html`), 'utf8');
  assert.equal(html.match(/data-unpublished=/g)?.length, 9);
});

test('report sends through SMTP when email is enabled, exits 1 when sending fails, and 0 when email is disabled', async () => {
  const root = await tempDir('notify-report-smtp-');
  const cert = await makeTestCertificate(root);
  const server = await startSmtpServer({ cert });
  after(() => server.close());
  const email = { enabled: true, smtp_host: '127.0.0.1', ca_file: cert.certFile, from: 's1@example.org', to: ['ops@example.org'] };
  const sending = await setup({ ...email, smtp_port: server.port });
  const sent = await report(sending.configPath, '--day', DAY);
  assert.equal(sent.code, 0, sent.err);
  assert.match(sent.out, /sent to ops@example\.org/);
  assert.equal(server.messages.length, 1);
  assert.deepEqual(mimeParts(server.messages[0]!.raw).map((p) => p.contentType), ['text/plain', 'text/html']);

  const failing = await setup({ ...email, smtp_port: await refusedPort() });
  const failed = await report(failing.configPath, '--day', DAY);
  assert.equal(failed.code, 1);
  assert.match(failed.err, /^daily report 2026-11-21 not sent: /);

  const disabled = await setup();
  const quiet = await report(disabled.configPath, '--day', DAY);
  assert.equal(quiet.code, 0);
  assert.match(quiet.out, /^email is disabled/);
});

test('report rejects --dry-run without --out and a malformed --day with exit 2', async () => {
  const { configPath } = await setup();
  assert.equal((await report(configPath, '--dry-run')).code, 2);
  const bad = await report(configPath, '--day', '2026-13-01', '--dry-run', '--out', '/tmp/x');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /Option --day must be a label date YYYY-MM-DD/);
});
