import { readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { errorCode } from './fs-errors.js';

/** A secret file that cannot be used as it is; the message names the settings key, the file and the fix. */
export class SecretFileError extends Error {
  constructor(
    readonly key: string,
    readonly path: string,
    problem: string,
  ) {
    super(`Cannot use '${key}' (${path}): ${problem}`);
    this.name = 'SecretFileError';
  }
}

/** A secret file that group or others can read: refused, as ssh refuses such a private key. */
export class SecretFileModeError extends SecretFileError {
  constructor(key: string, path: string, mode: number) {
    super(key, path, `file is readable by group or others (mode 0${(mode & 0o777).toString(8)}); run chmod 600 ${path}`);
    this.name = 'SecretFileModeError';
  }
}

/** The fix for a secret file that stat() or readFile() failed on. */
function unreadableProblem(key: string, err: unknown): string {
  const code = errorCode(err);
  if (code === 'ENOENT') return `the file does not exist: create it (mode 600) or correct '${key}' in the settings`;
  if (code === 'EACCES' || code === 'EPERM') return 'the service user cannot read the file: make it the owner (chown) with mode 600';
  if (code === 'ENOTDIR') return `a part of the path is a file, not a folder: correct '${key}' in the settings`;
  return `the file cannot be read (${code ?? String(err)})`;
}

/** Throws SecretFileError unless `path` is a regular file only its owner can read. */
export async function assertSecretFileMode(key: string, path: string): Promise<void> {
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (err) {
    throw new SecretFileError(key, path, unreadableProblem(key, err));
  }
  if (stats.isDirectory()) {
    throw new SecretFileError(key, path, `it is a directory, not a file: point '${key}' at the secret file itself`);
  }
  if (!stats.isFile()) throw new SecretFileError(key, path, `it is not a regular file: point '${key}' at the secret file`);
  if ((stats.mode & 0o077) !== 0) throw new SecretFileModeError(key, path, stats.mode);
}

/** Reads a secret (token, password, key) from a file after checking its mode; surrounding whitespace is trimmed. */
export async function readSecretFile(key: string, path: string): Promise<string> {
  await assertSecretFileMode(key, path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new SecretFileError(key, path, unreadableProblem(key, err));
  }
  const value = text.trim();
  if (value === '') throw new SecretFileError(key, path, 'the file is empty: write the token into it (one line)');
  return value;
}

/** Why `token` cannot be an HTTP bearer token, or undefined when its shape is fine. */
export function tokenShapeProblem(token: string): string | undefined {
  if (/[\r\n]/.test(token)) return 'the file holds more than one line: keep only the token, on one line';
  if (/\s/.test(token)) return 'the token contains a space or tab: keep only the token itself';
  // Tokens are printable ASCII; a quote, a BOM or a typographic character means a copy-paste went wrong.
  if (!/^[\x21-\x7e]+$/.test(token)) return 'the token contains a character that is not printable ASCII (a typographic quote or a pasted symbol?): keep only the token';
  if (/^["']|["']$/.test(token)) return 'the token is wrapped in quotes: remove them';
  return undefined;
}

/** Reads a one-line API token (X bearer token, OSF token): as readSecretFile, and refuses a malformed token. */
export async function readTokenFile(key: string, path: string): Promise<string> {
  const token = await readSecretFile(key, path);
  const problem = tokenShapeProblem(token);
  if (problem !== undefined) throw new SecretFileError(key, path, problem);
  return token;
}

/**
 * What identifies the current content of a secret file without reading it: device, inode, size and mtime
 * (an atomic rename changes the inode, an edit in place the size or mtime), or the errno code when absent.
 */
export async function secretFileVersion(path: string): Promise<string> {
  try {
    const { dev, ino, size, mtimeMs } = await stat(path);
    return `${dev}:${ino}:${size}:${mtimeMs}`;
  } catch (err) {
    return errorCode(err) ?? 'unreadable';
  }
}
