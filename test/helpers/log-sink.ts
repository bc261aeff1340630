import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface LogSink {
  log: Logger;
  /** Every line logged so far, parsed. */
  lines(): Array<Record<string, unknown>>;
  /** Every line logged so far, raw (for "no secret in any line" checks). */
  text(): string;
}

/** A pino logger writing into memory, at debug level. */
export function logSink(): LogSink {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const log = pino(
    { level: 'debug', redact: { paths: ['authorization', 'headers.authorization', 'password', 'token'], censor: '[redacted]' } },
    stream,
  );
  return {
    log,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
