import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { commandLogFormat, createCommandLogger, type CommandLogFormat } from './logger.js';

test('commandLogFormat(): readable on a terminal, JSON lines for journald and pipes', () => {
  const cases: Array<[isTTY: boolean, env: NodeJS.ProcessEnv, expected: CommandLogFormat]> = [
    [true, {}, { format: 'pretty', colorize: true }],
    [true, { TERM: 'xterm-256color' }, { format: 'pretty', colorize: true }],
    [true, { NO_COLOR: '1' }, { format: 'pretty', colorize: false }],
    [true, { NO_COLOR: '' }, { format: 'pretty', colorize: true }],
    [true, { TERM: 'dumb' }, { format: 'pretty', colorize: false }],
    [true, { JOURNAL_STREAM: '8:12345' }, { format: 'json' }],
    [false, {}, { format: 'json' }],
    [false, { JOURNAL_STREAM: '8:12345' }, { format: 'json' }],
    [false, { NO_COLOR: '1' }, { format: 'json' }],
  ];
  for (const [isTTY, env, expected] of cases) {
    assert.deepEqual(commandLogFormat(isTTY, env), expected, JSON.stringify({ isTTY, env }));
  }
});

/** A stderr stand-in that says whether it is a terminal; `read()` returns what was written so far. */
function fakeStderr(isTTY: boolean): { stream: PassThrough; read: () => string } {
  const stream = Object.assign(new PassThrough(), { isTTY });
  return { stream, read: () => stream.read()?.toString() ?? '' };
}

test('createCommandLogger() writes readable lines to a terminal at once, with no stack unless debugging', () => {
  const stderr = fakeStderr(true);
  const log = createCommandLogger({ stderr: stderr.stream, env: { NO_COLOR: '1' } }).child({ stage: 'hourly' });
  log.info({ hour: '2026-11-22T10', token: 'secret-token' }, 'hour published');
  log.error({ err: new Error('disk full') }, 'publish failed');
  // Synchronous: no flush or tick is needed before the lines are there.
  const lines = stderr.read().split('\n');
  assert.match(lines[0]!, /^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} [+-]\d{4}\] INFO: hourly: hour published \{"hour":"2026-11-22T10","token":"\[redacted\]"\}$/);
  assert.match(lines[1]!, /ERROR: hourly: publish failed/);
  const text = lines.join('\n');
  assert.match(text, /"message": "disk full"/);
  assert.doesNotMatch(text, /secret-token|\bat /);
  assert.doesNotMatch(text, /\u001b\[/, 'NO_COLOR: no escape codes');

  const debugging = fakeStderr(true);
  createCommandLogger({ stderr: debugging.stream, env: { LOG_LEVEL: 'debug', NO_COLOR: '1' } }).error({ err: new Error('disk full') }, 'x');
  assert.match(debugging.read(), /Error: disk full\n\s+at /);
});

test('createCommandLogger() writes JSON lines when stderr is not a terminal; LOG_LEVEL overrides the default level', () => {
  const stderr = fakeStderr(false);
  const log = createCommandLogger({ stderr: stderr.stream, env: {} }, { level: 'warn' });
  log.info('hidden');
  log.warn({ password: 'hunter2' }, 'shown');
  const [line, ...rest] = stderr.read().trimEnd().split('\n');
  assert.deepEqual(rest, []);
  const parsed = JSON.parse(line!) as Record<string, unknown>;
  assert.equal(parsed.msg, 'shown');
  assert.equal(parsed.password, '[redacted]');
  assert.equal(typeof parsed.time, 'string');

  const verbose = fakeStderr(true);
  createCommandLogger({ stderr: verbose.stream, env: { LOG_LEVEL: 'debug', JOURNAL_STREAM: '8:1' } }, { level: 'warn' }).debug('detail');
  assert.equal((JSON.parse(verbose.read()) as { msg?: string }).msg, 'detail');
});
