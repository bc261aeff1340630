import { readFile } from 'node:fs/promises';
import { isNotFound } from './fs-errors.js';

/** A UTF-8 file's text, or null when it does not exist; any other error (permissions, I/O) is thrown. */
export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}
