import { pino, type Logger, type DestinationStream } from 'pino';

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

/** The root logger: JSON lines on stdout for journald. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { level = process.env.LOG_LEVEL ?? 'info', destination = pino.destination({ dest: 1, sync: true }) } =
    options;
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** A logger that drops everything (library use, quiet tests). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
