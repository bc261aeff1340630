import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { main } from '../src/cli/main.js';
import { startFakeOsf, type FakeOsf } from '../src/emulator/osf-server.js';
import { drainOutbox, enqueueUploads, osfRemotePath } from '../src/osf/index.js';
import { FakeClock } from './helpers/fake-clock.js';
import { logSink } from './helpers/log-sink.js';
import { testSettings, type TestSetup } from './helpers/settings.js';
import { tempDir } from './helpers/tmp.js';

const DAY = '2026-11-22';
const OSF_TOKEN = 'verify-osf-token-0123456789';

/** Writes a small vault day: real xz files, a report, and SHA256SUMS made by the real sha256sum. */
async function writeVaultDay(vault: string, day: string): Promise<string> {
  const dir = join(vault, day);
  await mkdir(dir, { recursive: true });
  for (const hour of ['06', '07']) {
    const ids = Array.from({ length: 500 }, (_, i) => `${1993000000000000000n + BigInt(i * 7919)}\n`).join('');
    await writeFile(join(dir, `${day}_${hour}_IDs.txt.xz`), execFileSync('xz', ['-c', '-6'], { input: ids }));
    await writeFile(join(dir, `${day}_${hour}_tweets.csv.xz`), execFileSync('xz', ['-c'], { input: `id,text\n1,"a, b"\n${hour}\n` }));
    await writeFile(join(dir, `${day}_${hour}_users.csv.xz`), execFileSync('xz', ['-c'], { input: 'author_id,lang\n9,en\n' }));
  }
  await writeFile(join(dir, `${day}_report.txt`), 'hour\tserv 1\tserv 2\ttotal\tdiff\tdiff %\n06\t500\t500\t500\t0\t0.00%\n');
  await writeSums(dir, day);
  return dir;
}

async function writeSums(dir: string, day: string): Promise<void> {
  const names = ['06', '07']
    .flatMap((h) => [`${day}_${h}_IDs.txt.xz`, `${day}_${h}_tweets.csv.xz`, `${day}_${h}_users.csv.xz`])
    .concat(`${day}_report.txt`);
  await writeFile(join(dir, `${day}_SHA256SUMS`), execFileSync('sha256sum', names, { cwd: dir }));
}

async function run(setup: TestSetup, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await main(['verify', '--config', setup.configPath, ...args], {
    stdout: sink((t) => (out += t)),
    stderr: sink((t) => (err += t)),
    env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' },
  });
  return { code, out, err };
}

describe('verify command, local checks', () => {
  it('passes a clean day', async () => {
    const setup = await testSettings(await tempDir());
    await writeVaultDay(setup.settings.paths.vault, DAY);
    const result = await run(setup, '--day', DAY);
    assert.equal(result.out, 'verify: 1 days, 8 files, 0 problems, OSF disabled\n');
    assert.equal(result.code, 0);
  });

  it('reports a flipped byte in an .xz file as an xz -t failure and a hash mismatch', async () => {
    const setup = await testSettings(await tempDir());
    const dir = await writeVaultDay(setup.settings.paths.vault, DAY);
    const path = join(dir, `${DAY}_06_IDs.txt.xz`);
    const bytes = await readFile(path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    await writeFile(path, bytes);
    const result = await run(setup, '--day', DAY);
    assert.equal(result.code, 1);
    const lines = result.out.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, new RegExp(`^${DAY}/${DAY}_06_IDs\\.txt\\.xz: sha256 [0-9a-f]{64} does not match ${DAY}_SHA256SUMS`));
    assert.match(lines[1]!, new RegExp(`^${DAY}/${DAY}_06_IDs\\.txt\\.xz: xz -t failed: .+`));
    assert.equal(lines[2], 'verify: 1 days, 8 files, 2 problems, OSF disabled');
  });

  it('reports a missing file, an unlisted file and a missing SHA256SUMS', async () => {
    const setup = await testSettings(await tempDir());
    const dir = await writeVaultDay(setup.settings.paths.vault, DAY);
    await rm(join(dir, `${DAY}_07_users.csv.xz`));
    await writeFile(join(dir, 'stray.txt'), 'x');
    await writeFile(join(dir, '.temp.123.tmp'), 'ignored dot-file');
    const other = await writeVaultDay(setup.settings.paths.vault, '2026-11-23');
    await rm(join(other, '2026-11-23_SHA256SUMS'));
    const result = await run(setup);
    assert.equal(result.code, 1);
    assert.deepEqual(result.out.trim().split('\n'), [
      `${DAY}/${DAY}_07_users.csv.xz: listed in ${DAY}_SHA256SUMS but missing`,
      `${DAY}/stray.txt: not listed in ${DAY}_SHA256SUMS`,
      '2026-11-23/2026-11-23_SHA256SUMS: missing: the day has no checksum file',
      'verify: 2 days, 15 files, 3 problems, OSF disabled',
    ]);
  });

  it('reports a day folder that does not exist and refuses a malformed --day', async () => {
    const setup = await testSettings(await tempDir());
    const missing = await run(setup, '--day', '2026-01-01');
    assert.equal(missing.code, 1);
    assert.match(missing.out, /^2026-01-01: no day folder /);
    const bad = await run(setup, '--day', '2026-1-1');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /Option --day must be a date/);
  });
});

describe('verify command with OSF', () => {
  const servers: FakeOsf[] = [];
  after(async () => {
    for (const osf of servers) await osf.close();
  });

  async function published(): Promise<{ setup: TestSetup; osf: FakeOsf; dir: string }> {
    const osf = await startFakeOsf({ token: OSF_TOKEN });
    servers.push(osf);
    const root = await tempDir();
    const tokenFile = join(root, 'osf_token');
    await writeFile(tokenFile, OSF_TOKEN, { mode: 0o600 });
    const setup = await testSettings(root, {
      osf: { enabled: true, base_url: osf.url, project_id: osf.projectId, token_file: tokenFile },
    });
    const dir = await writeVaultDay(setup.settings.paths.vault, DAY);
    const names = [`${DAY}_06_IDs.txt.xz`, `${DAY}_07_IDs.txt.xz`, `${DAY}_report.txt`, `${DAY}_SHA256SUMS`];
    const clock = new FakeClock('2026-11-23T02:00:00Z');
    await enqueueUploads(setup.settings.paths.state, names.map((n) => ({ localPath: join(dir, n), remotePath: osfRemotePath(DAY, n) })), clock.now());
    const drained = await drainOutbox({ settings: setup.settings, clock, log: logSink().log });
    assert.equal(drained.uploaded.length, 4);
    return { setup, osf, dir };
  }

  it('passes when OSF holds the same files, listing only the day folder', async () => {
    const { setup, osf } = await published();
    const before = osf.requestLog().length;
    const result = await run(setup, '--day', DAY);
    assert.equal(result.out, 'verify: 1 days, 8 files, 0 problems, OSF hashes compared\n');
    assert.equal(result.code, 0);
    const requests = osf.requestLog().slice(before);
    assert.equal(requests.length, 1, 'the cached folder ID is listed, nothing else');
    assert.match(requests[0]!.path, /\/osfstorage\/[0-9a-f]{24}\/$/);
  });

  it('walks only the day path when the folder cache is gone', async () => {
    const { setup, osf } = await published();
    await rm(join(setup.settings.paths.state, 'osf-folders.json'));
    const before = osf.requestLog().length;
    assert.equal((await run(setup, '--day', DAY)).code, 0);
    assert.equal(osf.requestLog().slice(before).length, 4, 'root, 2026, 11 and 22 are listed');
  });

  it('reports a hash on OSF that differs from the local file, and a file missing on OSF', async () => {
    const { setup, dir } = await published();
    const report = join(dir, `${DAY}_report.txt`);
    await writeFile(report, `${await readFile(report, 'utf8')}07\t1\t1\t1\t0\t0.00%\n`);
    await writeFile(join(dir, `${DAY}_08_IDs.txt.xz`), execFileSync('xz', ['-c'], { input: '1\n' }));
    await writeSums(dir, DAY);
    await enqueueUploads(setup.settings.paths.state, [{ localPath: report, remotePath: osfRemotePath(DAY, `${DAY}_report.txt`) }], Date.now());
    const result = await run(setup, '--day', DAY);
    assert.equal(result.code, 1);
    const lines = result.out.trim().split('\n');
    const hex = '[0-9a-f]{64}';
    const expected = [
      `^${DAY}/${DAY}_08_IDs\\.txt\\.xz: missing on OSF$`,
      `^${DAY}/${DAY}_08_IDs\\.txt\\.xz: not listed in ${DAY}_SHA256SUMS$`,
      `^${DAY}/${DAY}_SHA256SUMS: OSF sha256 ${hex} differs from local ${hex}$`,
      `^${DAY}/${DAY}_report\\.txt: OSF sha256 ${hex} differs from local ${hex} \\(an upload is queued\\)$`,
      '^verify: 1 days, 9 files, 4 problems, OSF hashes compared$',
    ];
    assert.equal(lines.length, expected.length, result.out);
    expected.forEach((pattern, i) => assert.match(lines[i]!, new RegExp(pattern)));
  });
});
