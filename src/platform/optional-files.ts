// Reading staging and state files and folders that may not exist yet: they appear only once needed.
import { readdir, readFile } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { isNotFound } from './fs-errors.js';
import { readTextIfExists } from './read-text-if-exists.js';

/** The names in `dir`, or none when it does not exist. */
export async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/** The entries of `dir` with their types, or none when it does not exist. */
export async function entriesIn(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
}

/** A file's bytes, or null when it does not exist. */
export async function readBytesIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** A JSON file's value, or null when it does not exist. */
export async function readJsonIfExists<T>(path: string): Promise<T | null> {
  const text = await readTextIfExists(path);
  return text === null ? null : (JSON.parse(text) as T);
}
