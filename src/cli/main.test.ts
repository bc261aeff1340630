import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandOption } from './command.js';
import { loadAllCommands } from './commands/index.js';
import { GLOBAL_OPTIONS, ROOT_OPTIONS } from './global-options.js';
import { runCli } from '../../test/helpers/run-cli.js';
import { testSettings } from '../../test/helpers/settings.js';
import { tempDir } from '../../test/helpers/tmp.js';

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(argv, env);
}

test('main() prints help listing every command of DESIGN 10', async () => {
  const { code, out, err } = await run(['--help']);
  assert.equal(code, 0);
  assert.equal(err, '');
  for (const name of ['stream', 'sync', 'hourly', 'upload', 'report', 'notify', 'watch', 'scheduler', 'status', 'check', 'verify', 'emulator', 'demo']) {
    assert.match(out, new RegExp(`^  ${name} `, 'm'));
  }
  assert.match(out, /^ {2}-V, --version +print the version and exit$/m);
  assert.equal((await run(['help'])).out, out);
});

test('--version and -V print the version of package.json', async () => {
  const manifest = JSON.parse(await readFile(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    assert.deepEqual(await run([flag]), { code: 0, out: `sampled-stream ${manifest.version}\n`, err: '' });
  }
});

test('without arguments the help goes to stderr with exit code 2', async () => {
  const { code, out, err } = await run([]);
  assert.equal(code, 2);
  assert.equal(out, '');
  assert.match(err, /^Usage: sampled-stream /);
  assert.match(err, /^Commands:$/m);
});

test('every option of every command has a one-line description', async () => {
  const tables = [
    ['global', GLOBAL_OPTIONS],
    ['root', ROOT_OPTIONS],
    ...(await loadAllCommands()).map((c) => [c.name, c.options] as const),
  ] as const;
  for (const [owner, options] of tables) {
    for (const [name, option] of Object.entries(options)) {
      const where = `${owner} --${name}`;
      assert.equal(typeof option.description, 'string', `${where} has no description`);
      assert.notEqual(option.description.trim(), '', `${where} has an empty description`);
      assert.doesNotMatch(option.description, /\n/, `${where}: the description must be one line`);
      assert.doesNotMatch(option.defaultText ?? '', /\n/, `${where}: the default must be one line`);
    }
  }
});

test("every command's --help shows each option with its description and default, aligned", async () => {
  for (const command of await loadAllCommands()) {
    const { code, out, err } = await run([command.name, '--help']);
    assert.equal(code, 0, command.name);
    assert.equal(err, '');
    assert.match(out, /^Usage: sampled-stream /);
    const rows = out.split('\n').filter((l) => l.startsWith('  -'));
    const columns = new Set(rows.map((l) => /^ {2}\S.*?\S {2,}(?=\S)/.exec(l)?.[0].length));
    assert.equal(columns.size, 1, `${command.name}: descriptions start in one column:\n${out}`);
    const options: Record<string, CommandOption> = { ...command.options, ...GLOBAL_OPTIONS };
    for (const [name, option] of Object.entries(options)) {
      const row = rows.find((l) => new RegExp(`^ {2}(-\\w, )?--${name}\\b`).test(l));
      assert.ok(row, `${command.name} --help lists --${name}`);
      assert.ok(row.includes(option.description), `${command.name} --${name}: ${row}`);
      if (option.defaultText !== undefined) assert.ok(row.endsWith(`(default: ${option.defaultText})`), row);
      if (option.type === 'string') assert.match(row, new RegExp(`--${name} ${option.valueName ?? 'VALUE'} `));
    }
  }
  const emulator = await run(['emulator', '--help']);
  assert.match(emulator.out, /^ {2}--port N {2,}port to listen on, on 127\.0\.0\.1 \(default: a free port\)$/m);
});

test('an unknown command or option is one line on stderr naming it, with exit code 2', async () => {
  assert.deepEqual(await run(['nonsense']), {
    code: 2,
    out: '',
    err: "sampled-stream: unknown command 'nonsense'; run 'sampled-stream --help'\n",
  });
  assert.deepEqual(await run(['hourly', '--no-such-option']), {
    code: 2,
    out: '',
    err: "sampled-stream hourly: unknown option '--no-such-option'; run 'sampled-stream hourly --help'\n",
  });
  assert.deepEqual(await run(['--bogus', 'status']), {
    code: 2,
    out: '',
    err: "sampled-stream: unknown option '--bogus'; run 'sampled-stream --help'\n",
  });
  const bad = await run(['watch', '--now', 'soon'], { SAMPLED_STREAM_ALLOW_ROOT: '1' });
  assert.equal(bad.code, 2);
  assert.equal(bad.err, `sampled-stream watch: Option --now must be an ISO 8601 time like 2026-11-22T10:00:00Z: got "soon"; run 'sampled-stream watch --help'\n`);
});

test('main() exits 2 naming the key when the settings are invalid', async () => {
  const { code, err } = await run(['status', '--config', '/nonexistent/settings.json']);
  assert.equal(code, 2);
  assert.match(err, /Cannot load settings from \/nonexistent\/settings.json/);
  const before = await run(['--config', '/nonexistent/settings.json', 'status']);
  assert.deepEqual(before, { code, out: '', err });
});

test('main() refuses to run a job as root unless SAMPLED_STREAM_ALLOW_ROOT=1, without pointing to --help', async () => {
  const asRoot = process.getuid?.() === 0;
  const refused = await run(['hourly', '--config', '/nonexistent/settings.json']);
  assert.equal(refused.code, 2);
  if (asRoot) {
    assert.match(refused.err, /^Refusing to run 'hourly' as root: run it as the service user/);
    assert.doesNotMatch(refused.err, /--help/);
  } else {
    assert.match(refused.err, /Cannot load settings/);
  }
  const allowed = await run(['hourly', '--config', '/nonexistent/settings.json'], { SAMPLED_STREAM_ALLOW_ROOT: '1' });
  assert.match(allowed.err, /Cannot load settings from \/nonexistent\/settings.json/);
});

test('an unexpected error is one line on stderr; the stack comes only with --debug or LOG_LEVEL=debug', async () => {
  const { configPath } = await testSettings(await tempDir());
  const argv = ['report', '--dry-run', '--out', '/dev/null/report', '--config', configPath];
  const env = { SAMPLED_STREAM_ALLOW_ROOT: '1', LOG_LEVEL: 'silent' };
  const plain = await run(argv, env);
  assert.equal(plain.code, 1);
  assert.equal(plain.out, '');
  assert.equal(
    plain.err,
    "sampled-stream report failed: ENOTDIR: not a directory, mkdir '/dev/null/report'; " +
      'fix: a part of /dev/null/report is a file, not a folder: correct the path\n',
  );
  for (const [args, debugEnv] of [[[...argv, '--debug'], env], [['--debug', ...argv], env], [argv, { ...env, LOG_LEVEL: 'debug' }]] as const) {
    const debug = await run([...args], debugEnv);
    assert.equal(debug.code, 1);
    // With LOG_LEVEL=debug the report's own log lines come first.
    const failure = debug.err.slice(debug.err.indexOf('sampled-stream report failed:'));
    assert.ok(failure.startsWith(plain.err), debug.err);
    assert.match(failure.slice(plain.err.length), /^Error: ENOTDIR.*\n\s+at /);
  }
});
