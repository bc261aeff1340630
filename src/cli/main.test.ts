import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAllCommands } from './commands/index.js';
import { runCli } from '../../test/helpers/run-cli.js';

function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  return runCli(argv, env);
}

test('main() prints help listing every command of DESIGN 10', async () => {
  const { code, out } = await run(['--help']);
  assert.equal(code, 0);
  for (const name of ['stream', 'sync', 'hourly', 'upload', 'report', 'notify', 'watch', 'scheduler', 'status', 'check', 'verify', 'emulator', 'demo']) {
    assert.match(out, new RegExp(`^  ${name} `, 'm'));
  }
});

test('main() gives --help for every command and exit code 2 for usage errors', async () => {
  for (const command of await loadAllCommands()) {
    const { code, out } = await run([command.name, '--help']);
    assert.equal(code, 0, command.name);
    assert.match(out, /^Usage: sampled-stream /);
  }
  assert.equal((await run(['nonsense'])).code, 2);
  assert.equal((await run(['hourly', '--no-such-option'])).code, 2);
});

test('main() exits 2 naming the key when the settings are invalid', async () => {
  const { code, err } = await run(['status', '--config', '/nonexistent/settings.json']);
  assert.equal(code, 2);
  assert.match(err, /Cannot load settings from \/nonexistent\/settings.json/);
});

test('main() refuses to run a job as root unless SAMPLED_STREAM_ALLOW_ROOT=1', async () => {
  const asRoot = process.getuid?.() === 0;
  const refused = await run(['hourly', '--config', '/nonexistent/settings.json']);
  assert.equal(refused.code, 2);
  assert.match(refused.err, asRoot ? /Refusing to run 'hourly' as root: run it as the service user/ : /Cannot load settings/);
  const allowed = await run(['hourly', '--config', '/nonexistent/settings.json'], { SAMPLED_STREAM_ALLOW_ROOT: '1' });
  assert.match(allowed.err, /Cannot load settings from \/nonexistent\/settings.json/);
});
