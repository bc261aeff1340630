import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, loadSettings, parseSettings, stripComments, timeZoneProblem, assertSecretFiles } from './load.js';
import { SecretFileModeError } from '../platform/secret-file.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { testSettings } from '../../test/helpers/settings.js';

const base = {
  server: 'server1',
  paths: { spool: '/var/lib/ss/spool', state: '/var/lib/ss/state', staging: '/var/lib/ss/staging', vault: '/var/lib/ss/vault' },
  x_api: { bearer_token_file: '/etc/ss/token' },
};

function problemsOf(doc: unknown, use: Parameters<typeof parseSettings>[2] = 'any'): string[] {
  try {
    parseSettings(doc, 'settings.json', use);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err.problems.map((p) => `${p.key}: ${p.message}`);
  }
  return [];
}

test('parseSettings() applies every default of DESIGN 9', () => {
  const s = parseSettings(base, 'settings.json');
  assert.equal(s.x_api.base_url, 'https://api.x.com');
  assert.equal(s.x_api.stream, 'sample');
  assert.deepEqual(s.x_api.partitions, [1, 2]);
  assert.equal(s.x_api.stall_timeout_s, 30);
  assert.ok(s.x_api.expansions.includes('author_id'));
  assert.equal(s.hourly.lateness_min, 5);
  assert.equal(s.hourly.max_wait_min, 30);
  assert.equal(s.hourly.staging_retention_h, 48);
  assert.equal(s.hourly.xz_preset, 6);
  assert.equal(s.hourly.xz_block_mib, 8);
  assert.equal(s.hourly.output_timezone, 'UTC');
  assert.equal(s.hourly.expect_server2, true);
  assert.deepEqual(s.retention, { quarantine_days: 30, late_days: 30, raw_archive_days: 0 });
  assert.equal(s.sync.transport, 'sftp');
  assert.equal(s.sync.port, 22);
  assert.equal(s.osf.enabled, false);
  assert.equal(s.email.report_time, '02:00');
  assert.equal(s.email.tls, 'starttls');
  assert.equal(s.schedule.hourly, '*/5 * * * *');
  assert.equal(s.metrics.stream_listen, null);
});

test('stripComments() drops "//" keys at any depth', () => {
  assert.deepEqual(stripComments({ '//': 'x', a: { '//': 1, b: [{ '//': 2, c: 3 }] } }), { a: { b: [{ c: 3 }] } });
  assert.deepEqual(problemsOf({ '//': 'top', ...base, paths: { '//': 'note', ...base.paths } }), []);
});

const cases: Array<{ name: string; doc: unknown; use?: Parameters<typeof parseSettings>[2]; expected: RegExp[] }> = [
  {
    name: 'relative path',
    doc: { ...base, paths: { ...base.paths, spool: 'spool' } },
    expected: [/^paths\.spool: must be an absolute path .*: current value is "spool"$/],
  },
  { name: 'unknown key', doc: { ...base, x_api: { ...base.x_api, bearer: 'x' } }, expected: [/^x_api\.bearer: is not a known setting/] },
  {
    name: 'moved key names its new place',
    doc: { ...base, email: { disk_free_alert_gb: 5 } },
    expected: [/^email\.disk_free_alert_gb: has moved to alerts\.min_free_gb: rename it there/],
  },
  {
    name: 'missing section',
    doc: { server: 'server1', x_api: base.x_api },
    expected: [/^paths: is missing: add the section "paths": \{ \.\.\. \} \(server_settings\.example\.json shows/],
  },
  { name: 'a file holding an array', doc: [base], expected: [/^\(file\): must hold one JSON object .*, but it holds an array: server_settings\.example\.json/] },
  { name: 'a file holding null', doc: null, expected: [/^\(file\): must hold one JSON object .*, but it holds null/] },
  { name: 'a section that is an array', doc: { ...base, paths: [] }, expected: [/^paths: must be a section, a JSON object \{ \.\.\. \}, but it is an array/] },
  {
    name: 'wrong types are all reported at once',
    doc: { ...base, server: 'server3', hourly: { xz_preset: 12, lateness_min: '5' } },
    expected: [/^server: must be "server1" or "server2": current value is "server3"$/, /^hourly\.lateness_min: must be an integer from 0 to 1440: current value is "5"$/, /^hourly\.xz_preset: must be an integer from 0 to 9: current value is 12$/],
  },
  { name: 'half-hour zone', doc: { ...base, hourly: { output_timezone: 'Asia/Kolkata' } }, expected: [/^hourly\.output_timezone: must have whole-hour UTC offsets/] },
  { name: 'unknown zone', doc: { ...base, hourly: { output_timezone: 'Mars/Olympus' } }, expected: [/^hourly\.output_timezone: must be an IANA time zone/] },
  {
    name: 'a raw archive retention that is not a whole number of days',
    doc: { ...base, retention: { raw_archive_days: 1.5 } },
    expected: [/^retention\.raw_archive_days: must be an integer from 0 to 3650: current value is 1\.5$/],
  },
  { name: 'bad cron', doc: { ...base, schedule: { hourly: 'every hour' } }, expected: [/^schedule\.hourly: must be a cron expression/] },
  {
    name: 'sftp sync keys required by sync on server2',
    doc: { ...base, server: 'server2' },
    use: 'sync',
    expected: [/^sync\.host: is missing/, /^sync\.username: is missing/, /^sync\.private_key_file: is missing/, /^sync\.known_hosts_file: is missing/, /^sync\.remote_spool: is missing/],
  },
  { name: 'sync keys not required by stream', doc: { ...base, server: 'server2' }, use: 'stream', expected: [] },
  { name: 'local transport needs local_target', doc: { ...base, server: 'server2', sync: { transport: 'local' } }, use: 'sync', expected: [/^sync\.local_target: is missing/] },
  { name: 'osf keys when enabled', doc: { ...base, osf: { enabled: true } }, expected: [/^osf\.project_id: is missing/, /^osf\.token_file: is missing/] },
  {
    name: 'email username needs password_file',
    doc: { ...base, email: { enabled: true, smtp_host: 'mail', from: 'a@b.org', to: ['c@d.org'], username: 'u' } },
    expected: [/^email\.password_file: is missing/],
  },
  { name: 'metrics listen form', doc: { ...base, metrics: { stream_listen: '9464' } }, expected: [/^metrics\.stream_listen: must be "host:port"/] },
];

for (const { name, doc, use, expected } of cases) {
  test(`parseSettings() reports ${name}`, () => {
    const problems = problemsOf(doc, use);
    assert.equal(problems.length, expected.length, problems.join('\n'));
    expected.forEach((pattern, i) => assert.match(problems[i]!, pattern));
  });
}

test('loadSettings() names the file and the fix for unreadable or invalid JSON', async () => {
  const dir = await tempDir();
  await assert.rejects(loadSettings(join(dir, 'missing.json')), /pass --config <file> or set SAMPLED_STREAM_CONFIG/);
  await writeFile(join(dir, 'bad.json'), '{ "server": ');
  await assert.rejects(loadSettings(join(dir, 'bad.json')), /is not valid JSON/);
});

test('loadSettings() accepts a file saved with a UTF-8 byte order mark', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'bom.json'), `\uFEFF${JSON.stringify(base)}`);
  assert.equal((await loadSettings(join(dir, 'bom.json'))).paths.spool, base.paths.spool);
});

test('assertSecretFiles() refuses a token file readable by group or others', async () => {
  const dir = await tempDir();
  const { settings, tokenFile } = await testSettings(dir);
  await assertSecretFiles(settings, 'stream');
  await chmod(tokenFile, 0o640);
  await assert.rejects(assertSecretFiles(settings, 'stream'), (err: unknown) => {
    assert.ok(err instanceof SecretFileModeError);
    assert.match(err.message, /x_api\.bearer_token_file.*mode 0640.*chmod 600/);
    return true;
  });
});

test('timeZoneProblem() accepts whole-hour zones with DST', () => {
  assert.equal(timeZoneProblem('Europe/Berlin'), undefined);
  assert.equal(timeZoneProblem('UTC'), undefined);
  assert.match(timeZoneProblem('Australia/Adelaide') ?? '', /whole-hour/);
});

test('server_settings.example.json is valid and shows every key of the schema', async () => {
  const { readFile } = await import('node:fs/promises');
  const { settingsSchema } = await import('./schema.js');
  const doc = JSON.parse(await readFile(new URL('../../server_settings.example.json', import.meta.url), 'utf8'));
  parseSettings(doc, 'server_settings.example.json', 'check');
  const shape = settingsSchema.shape as Record<string, unknown>;
  for (const section of Object.keys(shape)) {
    const inner = (settingsSchema.shape as Record<string, { _zod: { def: { innerType?: { shape?: object }; shape?: object } } }>)[section]!;
    const def = inner._zod.def;
    const keys = Object.keys(def.shape ?? def.innerType?.shape ?? {});
    for (const key of keys) assert.ok(key in (doc[section] ?? {}), `example lacks ${section}.${key}`);
  }
});

test('parseSettings() refuses folders that are equal or nested, naming both keys and the fix', () => {
  const doc = { ...base, paths: { ...base.paths, vault: '/var/lib/ss/spool/vault', staging: '/var/lib/ss/state' } };
  assert.deepEqual(problemsOf(doc), [
    'paths.vault: is inside paths.spool ("/var/lib/ss/spool/vault" and "/var/lib/ss/spool"): give each its own folder, e.g. /var/lib/sampled-stream/{spool,staging,state,vault}',
    'paths.staging: is the same folder as paths.state ("/var/lib/ss/state" and "/var/lib/ss/state"): give each its own folder, e.g. /var/lib/sampled-stream/{spool,staging,state,vault}',
  ]);
});

test('loadSettings() refuses a vault that a symlink puts inside the spool', async () => {
  const dir = await tempDir();
  const paths = { spool: join(dir, 'spool'), state: join(dir, 'state'), staging: join(dir, 'staging'), vault: join(dir, 'vault') };
  await mkdir(join(paths.spool, 'published'), { recursive: true });
  await symlink(join(paths.spool, 'published'), paths.vault);
  const file = join(dir, 'settings.json');
  await writeFile(file, JSON.stringify({ ...base, paths }));
  await assert.rejects(loadSettings(file, 'check'), (err: unknown) => {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.problems.length, 1);
    assert.equal(err.problems[0]!.key, 'paths.vault');
    assert.match(err.problems[0]!.message, /^is inside paths\.spool .*through symlinks .*: give each its own folder/);
    return true;
  });
  await rm(paths.vault);
  await mkdir(paths.vault);
  await loadSettings(file, 'check');
});
