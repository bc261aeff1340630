import { ConfigError } from '../config/index.js';
import { LockBusyError } from '../platform/lock-file.js';
import { SecretFileError } from '../platform/secret-file.js';
import { RootRefusedError, UsageError } from './command.js';

/** What main() prints on stderr for an error, and the exit code (DESIGN 10). */
export interface FailureReport {
  code: number;
  text: string;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

function errnoOf(err: unknown): { code?: string; path?: string } {
  if (typeof err !== 'object' || err === null) return {};
  const { code, path } = err as { code?: unknown; path?: unknown };
  return { code: typeof code === 'string' ? code : undefined, path: typeof path === 'string' ? path : undefined };
}

/** The fix for the system errors a sysadmin can act on; undefined when there is none to give. */
function fixFor(err: unknown): string | undefined {
  const { code, path } = errnoOf(err);
  if (code === undefined) return undefined;
  const where = path ?? 'the file named above';
  if (code === 'EACCES' || code === 'EPERM') return `give the service user access to ${where} (check its owner and mode)`;
  if (code === 'ENOSPC') return `free space on the file system holding ${where}`;
  if (code === 'EROFS') return `${where} is on a read-only file system: point the settings at a writable folder`;
  if (code === 'ENOENT' && path !== undefined) return `create ${path} or correct its path in the settings`;
  if (code === 'ENOTDIR' && path !== undefined) return `a part of ${path} is a file, not a folder: correct the path`;
  if (NETWORK_CODES.has(code)) return "check the host and port in the settings; 'sampled-stream check' tests every peer";
  return undefined;
}

function messageOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // Node's connect failures over IPv4 and IPv6 arrive as an AggregateError with an empty message.
  if (err.message === '' && err instanceof AggregateError) return err.errors.map(messageOf).join('; ');
  if (err.cause instanceof Error && !err.message.includes(err.cause.message)) return `${err.message}: ${messageOf(err.cause)}`;
  return err.message || err.name;
}

/** One line: what failed (the message names the file or key) and the fix when known. */
export function failureLine(err: unknown): string {
  const message = messageOf(err).replace(/\s+/g, ' ').trim();
  const fix = fixFor(err) ?? (err instanceof Error ? fixFor(err.cause) : undefined);
  return fix === undefined ? message : `${message}; fix: ${fix}`;
}

/** Stack traces of the error and its causes (only with --debug: they help a developer, not an operator). */
function stackOf(err: unknown): string {
  if (!(err instanceof Error)) return '';
  const cause = err.cause === undefined ? '' : `Caused by: ${stackOf(err.cause) || String(err.cause)}`;
  return [err.stack ?? `${err.name}: ${err.message}`, cause].filter(Boolean).join('\n');
}

/** parseArgs' "Unknown option '--x'. To specify a positional..." as "unknown option '--x'". */
function parseArgsProblem(message: string): string {
  const sentence = message.split(/\.\s/)[0] ?? message;
  return sentence.charAt(0).toLowerCase() + sentence.slice(1);
}

function isParseArgsError(err: unknown): boolean {
  return errnoOf(err).code?.startsWith('ERR_PARSE_ARGS') === true;
}

/** The exit code and stderr text for an error; `invocation` is what ran, e.g. "sampled-stream hourly". */
export function failureReport(err: unknown, invocation: string, debug: boolean): FailureReport {
  if (err instanceof ConfigError || err instanceof SecretFileError || err instanceof RootRefusedError) {
    return { code: 2, text: `${err.message}\n` };
  }
  if (err instanceof LockBusyError) return { code: 1, text: `${invocation}: ${err.message}\n` };
  if (err instanceof UsageError || isParseArgsError(err)) {
    const message = err instanceof UsageError ? err.message : parseArgsProblem((err as Error).message);
    return { code: 2, text: `${invocation}: ${message}; run '${invocation} --help'\n` };
  }
  const line = `${invocation} failed: ${failureLine(err)}\n`;
  return { code: 1, text: debug ? `${line}${stackOf(err)}\n` : line };
}
