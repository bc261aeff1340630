import { readFile, stat } from 'node:fs/promises';

/** A secret file that group or others can read: refused, as ssh refuses such a private key. */
export class SecretFileModeError extends Error {
  constructor(
    readonly key: string,
    readonly path: string,
    readonly mode: number,
  ) {
    super(
      `Cannot use '${key}' (${path}): file is readable by group or others ` +
        `(mode 0${(mode & 0o777).toString(8)}); run chmod 600 ${path}`,
    );
    this.name = 'SecretFileModeError';
  }
}

/** Throws SecretFileModeError unless only the owner can read the file at `path`. */
export async function assertSecretFileMode(key: string, path: string): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (err) {
    throw new Error(`Cannot read '${key}' (${path}): ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      cause: err,
    });
  }
  if ((mode & 0o077) !== 0) throw new SecretFileModeError(key, path, mode);
}

/** Reads a secret (token, password) from a file after checking its mode; surrounding whitespace is trimmed. */
export async function readSecretFile(key: string, path: string): Promise<string> {
  await assertSecretFileMode(key, path);
  const value = (await readFile(path, 'utf8')).trim();
  if (value === '') throw new Error(`Cannot use '${key}' (${path}): the file is empty`);
  return value;
}
