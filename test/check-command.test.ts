import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startXEmulator, type XEmulator } from '../src/emulator/index.js';
import { startFakeOsf, type FakeOsf } from '../src/emulator/osf-server.js';
import { writeJsonAtomic } from '../src/platform/atomic-write.js';
import { makeTestCertificate, refusedPort, startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { server2Setup, startSshd, type TestSshd } from './helpers/sshd.js';
import { testSettings } from './helpers/settings.js';
import { tempDir } from './helpers/tmp.js';
import { runCli } from './helpers/run-cli.js';

const TOKEN = 'test-bearer-token-1234567890';

async function check(configPath: string) {
  const { code, out, err } = await runCli(['check', '--config', configPath]);
  return { code, out: out + err };
}

interface CheckJson {
  ok: boolean;
  server: string | null;
  failed: number;
  warnings: number;
  checks: Array<{ name: string; ok: boolean; warning: boolean; detail: string; fix: string | null }>;
}

/** `check --json`: stdout is only the JSON document. */
async function checkJson(configPath: string): Promise<{ code: number; report: CheckJson }> {
  const { code, out } = await runCli(['check', '--json', '--config', configPath]);
  return { code, report: JSON.parse(out) as CheckJson };
}

function line(out: string, name: string): string {
  return out.split('\n').find((l) => l.slice(6).startsWith(name)) ?? `(no line for ${name})`;
}

// Made at module level: a tempDir() made inside before() is removed when the hook ends.
const root = await tempDir();

describe('sampled-stream check', () => {
  let emulator: XEmulator;
  let osf: FakeOsf;
  let smtp: TestSmtpServer;
  let sshd: TestSshd;
  let caFile: string;

  before(async () => {
    const cert = await makeTestCertificate(root);
    caFile = cert.certFile;
    [emulator, osf, smtp, sshd] = await Promise.all([
      startXEmulator({ token: TOKEN, ratePerS: 20 }),
      startFakeOsf({ token: 'osf-token' }),
      startSmtpServer({ cert, auth: { user: 'mailer', pass: 'mail-secret' } }),
      startSshd(),
    ]);
  });
  after(async () => {
    await Promise.all([emulator.close(), osf.close(), smtp.close(), sshd.stop()]);
  });

  async function server1(name: string, overrides: { osfToken?: string; smtpPort?: number; caFile?: string | null } = {}) {
    const dir = join(root, name);
    const secret = async (file: string, value: string) => {
      await writeFile(join(dir, file), value, { mode: 0o600 });
      return join(dir, file);
    };
    const setup = await testSettings(dir, {});
    return testSettings(dir, {
      x_api: { base_url: emulator.url },
      osf: { enabled: true, base_url: osf.url, project_id: osf.projectId, token_file: await secret('osf_token', overrides.osfToken ?? 'osf-token') },
      email: {
        enabled: true,
        smtp_host: '127.0.0.1',
        smtp_port: overrides.smtpPort ?? smtp.port,
        ca_file: overrides.caFile === undefined ? caFile : overrides.caFile,
        username: 'mailer',
        password_file: await secret('smtp_password', 'mail-secret'),
        from: 'ss@example.org',
        to: ['ops@example.org'],
      },
      alerts: { min_free_gb: 0 },
      paths: setup.doc.paths as Record<string, unknown>,
    });
  }

  it('passes every check of a healthy server 1 (X API, SMTP login, OSF, clock)', async () => {
    const { configPath } = await server1('healthy');
    const { code, out } = await check(configPath);
    assert.equal(code, 0, out);
    for (const name of ['settings', 'paths.spool', 'x_api.bearer_token_file', 'osf.token_file', 'email.password_file', 'X API', 'clock', 'SMTP', 'OSF']) {
      assert.match(line(out, name), /^PASS /, `${name}:\n${out}`);
    }
    assert.match(line(out, 'SMTP'), /login ok/);
    assert.match(line(out, 'xz library'), /^(PASS .*built on this machine with .*-O2|WARN .*prebuilt binary)/, 'says which liblzma compresses');
    assert.match(line(out, 'X API'), /GET \/2\/tweets ok \(\d+\/300 lookups left in the window\); token accepted, stream opened/);
    assert.match(out, /All checks passed\./);
  });

  it('fails with a fix for a refused token, a wrong OSF token, an untrusted SMTP certificate and a group-readable secret', async () => {
    const setup = await server1('broken', { osfToken: 'wrong-token', caFile: null });
    await writeFile(setup.tokenFile, 'rejected-token', { mode: 0o600 });
    await chmod(join(setup.root, 'smtp_password'), 0o644);
    const { code, out } = await check(setup.configPath);
    assert.equal(code, 1, out);
    assert.match(line(out, 'X API'), /^FAIL .*answered 401/);
    assert.match(out, /fix: put a valid app bearer token/);
    assert.match(line(out, 'OSF'), /^FAIL .*token was refused \(401\)/);
    assert.match(line(out, 'SMTP'), /^FAIL /);
    assert.match(line(out, 'email.password_file'), /^FAIL .*mode 0644.*chmod 600/);
    assert.doesNotMatch(out, /mail-secret|osf-token|rejected-token/);
  });

  it('--json gives the same verdict and exit codes as machine-readable results', async () => {
    const healthy = await server1('json-healthy');
    const good = await checkJson(healthy.configPath);
    assert.equal(good.code, 0);
    assert.equal(good.report.ok, true);
    assert.equal(good.report.server, 'server1');
    assert.equal(good.report.failed, 0);
    assert.deepEqual(good.report.checks[0], { name: 'settings', ok: true, warning: false, detail: `${healthy.configPath} is valid (server1)`, fix: null });
    for (const name of ['X API', 'clock', 'SMTP', 'OSF']) assert.equal(good.report.checks.find((c) => c.name === name)?.ok, true, name);

    const broken = await server1('json-broken', { osfToken: 'wrong-token' });
    const bad = await checkJson(broken.configPath);
    assert.equal(bad.code, 1);
    assert.equal(bad.report.ok, false);
    assert.equal(bad.report.failed, 1);
    const osfCheck = bad.report.checks.find((c) => c.name === 'OSF');
    assert.equal(osfCheck?.ok, false);
    assert.match(osfCheck?.detail ?? '', /token was refused \(401\)/);
    assert.equal(typeof osfCheck?.fix, 'string');

    const dir = await tempDir();
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ server: 'server1', paths: {}, x_api: {} }));
    const invalid = await checkJson(join(dir, 'bad.json'));
    assert.equal(invalid.code, 2);
    assert.equal(invalid.report.ok, false);
    assert.equal(invalid.report.server, null);
    assert.ok(invalid.report.checks.some((c) => c.name === 'settings' && /'paths\.spool' is missing/.test(c.detail)), JSON.stringify(invalid.report));
  });

  it('refuses a vault inside the spool with exit code 2, naming both keys (issue 15.1)', async () => {
    const { configPath, settings } = await server1('vault-in-spool');
    const doc = JSON.parse(await readFile(configPath, 'utf8'));
    doc.paths.vault = join(settings.paths.spool, 'vault');
    await writeFile(configPath, JSON.stringify(doc));
    const { code, report } = await checkJson(configPath);
    assert.equal(code, 2);
    assert.ok(report.checks.some((c) => /'paths\.vault' is inside paths\.spool .*give each its own folder/.test(c.detail)), JSON.stringify(report));
  });

  it('tries the token file itself: empty, a folder, or refused fails the X API line even while the daemon runs (issue 15.3)', async () => {
    const setup = await server1('bad-token-file');
    const now = new Date().toISOString();
    await writeJsonAtomic(join(setup.settings.paths.state, 'stream.json'), {
      format_version: 1, server: 'server1', first_started_at: now, started_at: now, updated_at: now, connected: true,
      last_message_at: now, watermark: now, gaps: [], segments: {}, auth: { state: 'ok' },
      counters: { messages: 1, tweets: 1, errors: 0, malformed: 0, non_tweet: 0, reconnects: {} },
    });
    await writeFile(setup.tokenFile, '  \n', { mode: 0o600 });
    const empty = await check(setup.configPath);
    assert.equal(empty.code, 1, empty.out);
    assert.match(line(empty.out, 'X API'), /^FAIL .*Cannot use 'x_api\.bearer_token_file' \(.*\): the file is empty: write the token into it \(one line\)$/);

    await writeFile(setup.tokenFile, 'new-token\nold-token\n', { mode: 0o600 });
    const twoLines = await check(setup.configPath);
    assert.equal(twoLines.code, 1, twoLines.out);
    assert.match(line(twoLines.out, 'X API'), /^FAIL .*\(.*\): the file holds more than one line: keep only the token, on one line$/);
    assert.doesNotMatch(twoLines.out, /new-token|old-token/);

    await rm(setup.tokenFile);
    await mkdir(setup.tokenFile, { mode: 0o700 });
    const folder = await check(setup.configPath);
    assert.match(line(folder.out, 'X API'), /^FAIL .*Cannot use 'x_api\.bearer_token_file' \(.*\): it is a directory, not a file/);
    assert.match(line(folder.out, 'x_api.bearer_token_file'), /^FAIL .*it is a directory, not a file/);
    assert.doesNotMatch(folder.out, /chmod 600/);
    await rm(setup.tokenFile, { recursive: true });

    await writeFile(setup.tokenFile, 'rotated-but-wrong', { mode: 0o600 });
    const refused = await check(setup.configPath);
    assert.match(line(refused.out, 'X API'), /^FAIL .*GET http:\/\/127\.0\.0\.1:\d+\/2\/tweets: the API answered 401, Unauthorized/);
    assert.doesNotMatch(refused.out, /rotated-but-wrong/);
  });

  it('fails the SMTP check when nothing listens', async () => {
    const setup = await server1('no-smtp', { smtpPort: await refusedPort() });
    const { code, out } = await check(setup.configPath);
    assert.equal(code, 1);
    assert.match(line(out, 'SMTP'), /^FAIL .*ECONNREFUSED/);
  });

  it('reports the running daemon instead of taking its connection slot', async () => {
    const setup = await server1('daemon-running');
    const now = new Date().toISOString();
    await writeJsonAtomic(join(setup.settings.paths.state, 'stream.json'), {
      format_version: 1, server: 'server1', first_started_at: now, started_at: now, updated_at: now, connected: true,
      last_message_at: now, watermark: now, gaps: [], segments: {}, auth: { state: 'ok' },
      counters: { messages: 1, tweets: 1, errors: 0, malformed: 0, non_tweet: 0, reconnects: {} },
    });
    const before = emulator.stats().connectionsAccepted;
    const { out } = await check(setup.configPath);
    assert.match(line(out, 'X API'), /^PASS .*daemon is connected/);
    assert.equal(emulator.stats().connectionsAccepted, before);
  });

  it('checks SFTP with the pinned host key on server 2 and refuses an unknown key with its fingerprint', async () => {
    const { setup } = await server2Setup(join(root, 'server2'), sshd);
    await writeJsonAtomic(setup.configPath, { ...setup.doc, x_api: { base_url: emulator.url, bearer_token_file: setup.tokenFile } });
    const good = await check(setup.configPath);
    assert.match(line(good.out, 'sync target'), /^PASS  sync target +SFTP .*host key pinned/);

    const knownHosts = join(setup.root, 'other_known_hosts');
    await writeFile(knownHosts, `[127.0.0.1]:${sshd.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`);
    const sync = { ...(setup.doc.sync as object), known_hosts_file: knownHosts };
    await writeJsonAtomic(setup.configPath, { ...setup.doc, sync, x_api: { base_url: emulator.url, bearer_token_file: setup.tokenFile } });
    const bad = await check(setup.configPath);
    assert.equal(bad.code, 1);
    assert.match(line(bad.out, 'sync target'), /^FAIL .*SHA256:[A-Za-z0-9+/]{43}.*ssh-keyscan -p/);
  });

  it('exits 2 naming the key when the settings are invalid', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ server: 'server1', paths: {}, x_api: {} }));
    const { code, out } = await check(join(dir, 'bad.json'));
    assert.equal(code, 2);
    assert.match(out, /'paths\.spool' is missing/);
  });
});
