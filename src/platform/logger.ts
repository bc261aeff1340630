import type { Writable } from 'node:stream';
import { pino, type Logger, type DestinationStream, type LoggerOptions as PinoOptions } from 'pino';
import { prettyFactory } from 'pino-pretty';

export type { Logger } from 'pino';

/** Safety net only: secrets stay out of log objects by construction (we pass paths, not tokens). */
const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'password',
  'token',
  'bearer',
  'bearerToken',
  'privateKey',
];

export interface LoggerOptions {
  /** @default 'info' (or LOG_LEVEL) */
  level?: string;
  /** Where JSON lines go. @default stdout, synchronously (journald reads it; we log state changes only) */
  destination?: DestinationStream;
}

function pinoOptions(level: string, serializers: PinoOptions['serializers'] = {}): PinoOptions {
  return {
    level,
    base: { pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers,
  };
}

/** The daemons' logger (and any JSON log file): JSON lines, by default on stdout for journald. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { level = process.env.LOG_LEVEL ?? 'info', destination = pino.destination({ dest: 1, sync: true }) } =
    options;
  return pino(pinoOptions(level), destination);
}

/** How a one-shot command writes its log to stderr. */
export type CommandLogFormat = { format: 'json' } | { format: 'pretty'; colorize: boolean };

/**
 * Pure: readable lines for a person at a terminal; JSON lines for journald (which sets JOURNAL_STREAM for
 * services and timers), cron's `| logger` and any other pipe. Colour follows NO_COLOR and TERM=dumb.
 */
export function commandLogFormat(stderrIsTTY: boolean, env: NodeJS.ProcessEnv): CommandLogFormat {
  if (!stderrIsTTY || env.JOURNAL_STREAM !== undefined) return { format: 'json' };
  return { format: 'pretty', colorize: !env.NO_COLOR && env.TERM !== 'dumb' };
}

/** What a one-shot command's logger needs: the command context's stderr and environment. */
export interface CommandLogIo {
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

/** A stack in a terminal log line only when debugging; journald keeps it (it is read after the fact). */
function errorWithoutStack(err: Error): Record<string, unknown> {
  const { stack: _stack, ...rest } = pino.stdSerializers.err(err);
  return rest;
}

/**
 * The logger of a one-shot command (hourly, sync, report, check, ...): on stderr, so stdout carries only the
 * command's result. `level` is the command's default; LOG_LEVEL overrides it.
 */
export function createCommandLogger(io: CommandLogIo, options: { level?: string } = {}): Logger {
  const level = io.env.LOG_LEVEL ?? options.level ?? 'info';
  const how = commandLogFormat((io.stderr as Partial<NodeJS.WriteStream>).isTTY === true, io.env);
  if (how.format === 'json') return pino(pinoOptions(level), io.stderr);
  const prettify = prettyFactory({
    colorize: how.colorize,
    translateTime: 'SYS:standard',
    ignore: 'pid,hostname,stage',
    singleLine: true,
    messageFormat: '{if stage}{stage}: {end}{msg}',
  });
  // Formatted in the calling thread and written at once: no worker, so the last line is not lost on exit.
  const destination: DestinationStream = { write: (line: string) => void io.stderr.write(prettify(line)) };
  const debugging = level === 'debug' || level === 'trace';
  return pino(pinoOptions(level, debugging ? {} : { err: errorWithoutStack }), destination);
}

/** A logger that drops everything (library use, quiet tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
