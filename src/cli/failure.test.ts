import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../config/index.js';
import { LockBusyError } from '../platform/lock-file.js';
import { SecretFileModeError } from '../platform/secret-file.js';
import { RootRefusedError, UsageError } from './command.js';
import { failureLine, failureReport } from './failure.js';

function systemError(code: string, message: string, path?: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code, ...(path === undefined ? {} : { path }) });
}

test('failureLine() is one line: the message naming the file, and the fix when one is known', () => {
  const cases: Array<[unknown, string]> = [
    [
      systemError('EACCES', "EACCES: permission denied, open '/var/lib/ss/state/x.json'", '/var/lib/ss/state/x.json'),
      "EACCES: permission denied, open '/var/lib/ss/state/x.json'; fix: give the service user access to /var/lib/ss/state/x.json (check its owner and mode)",
    ],
    [
      systemError('ENOSPC', "ENOSPC: no space left on device, write '/srv/vault/a.xz'", '/srv/vault/a.xz'),
      "ENOSPC: no space left on device, write '/srv/vault/a.xz'; fix: free space on the file system holding /srv/vault/a.xz",
    ],
    [
      systemError('ENOENT', "ENOENT: no such file or directory, open '/srv/spool/x'", '/srv/spool/x'),
      "ENOENT: no such file or directory, open '/srv/spool/x'; fix: create /srv/spool/x or correct its path in the settings",
    ],
    [
      systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:22'),
      "connect ECONNREFUSED 127.0.0.1:22; fix: check the host and port in the settings; 'sampled-stream check' tests every peer",
    ],
    [
      new Error('upload failed', { cause: systemError('ECONNRESET', 'socket hang up') }),
      "upload failed: socket hang up; fix: check the host and port in the settings; 'sampled-stream check' tests every peer",
    ],
    [Object.assign(new AggregateError([new Error('connect A'), new Error('connect B')], ''), { code: 'ECONNREFUSED' }), 'connect A; connect B; fix: check the host and port in the settings; \'sampled-stream check\' tests every peer'],
    [new Error('first line\n  second line'), 'first line second line'],
    [new Error('no code, no fix'), 'no code, no fix'],
    ['a thrown string', 'a thrown string'],
  ];
  for (const [err, line] of cases) assert.equal(failureLine(err), line);
});

test('failureReport() maps each kind of error to its exit code and text', () => {
  const stacked = new Error('boom');
  const cases: Array<[unknown, boolean, number, RegExp]> = [
    [new ConfigError('/etc/s.json', [{ key: 'paths.spool', message: 'is missing' }]), false, 2, /^Cannot load settings from \/etc\/s\.json:\n {2}'paths\.spool' is missing\n$/],
    [new SecretFileModeError('x_api.bearer_token_file', '/etc/t', 0o644), false, 2, /^Cannot use 'x_api\.bearer_token_file' .*chmod 600 \/etc\/t\n$/],
    [new RootRefusedError("Refusing to run 'sync' as root"), false, 2, /^Refusing to run 'sync' as root\n$/],
    [new LockBusyError('/s/sync.lock', 42), false, 1, /^sampled-stream sync: Cannot take lock \/s\/sync\.lock: held by running process 42\n$/],
    [new UsageError('Option --day must be a date'), false, 2, /^sampled-stream sync: Option --day must be a date; run 'sampled-stream sync --help'\n$/],
    [stacked, false, 1, /^sampled-stream sync failed: boom\n$/],
    [stacked, true, 1, /^sampled-stream sync failed: boom\nError: boom\n {4}at /],
  ];
  for (const [err, debug, code, text] of cases) {
    const report = failureReport(err, 'sampled-stream sync', debug);
    assert.equal(report.code, code, String(err));
    assert.match(report.text, text);
  }
});

test('failureReport() with --debug prints the stacks of the causes too', () => {
  const err = new Error('outer', { cause: new Error('inner') });
  const { text } = failureReport(err, 'sampled-stream hourly', true);
  assert.match(text, /^sampled-stream hourly failed: outer: inner\nError: outer\n[\s\S]*\nCaused by: Error: inner\n/);
});
