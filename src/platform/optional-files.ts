// Reading staging and state files and folders that may not exist yet: they appear only once needed.
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Dirent, Stats } from 'node:fs';
import { isNotFound } from './fs-errors.js';

/** `read()`'s result, or `missing` when the file or folder does not exist; any other error is thrown. */
async function unlessMissing<T, M>(read: () => Promise<T>, missing: M): Promise<T | M> {
  try {
    return await read();
  } catch (err) {
    if (isNotFound(err)) return missing;
    throw err;
  }
}

/** The names in `dir`, or none when it does not exist. */
export function namesIn(dir: string): Promise<string[]> {
  return unlessMissing(() => readdir(dir), []);
}

/** The entries of `dir` with their types, or none when it does not exist. */
export function entriesIn(dir: string): Promise<Dirent[]> {
  return unlessMissing(() => readdir(dir, { withFileTypes: true }), []);
}

/** A file's stats, or null when it does not exist (or was removed meanwhile). */
export function statIfExists(path: string): Promise<Stats | null> {
  return unlessMissing(() => stat(path), null);
}

/** A file's bytes, or null when it does not exist. */
export function readBytesIfExists(path: string): Promise<Buffer | null> {
  return unlessMissing(() => readFile(path), null);
}

/** A UTF-8 file's text, or null when it does not exist; any other error (permissions, I/O) is thrown. */
export function readTextIfExists(path: string): Promise<string | null> {
  return unlessMissing(() => readFile(path, 'utf8'), null);
}

/** A JSON file's value, or null when it does not exist. */
export async function readJsonIfExists<T>(path: string): Promise<T | null> {
  const text = await readTextIfExists(path);
  return text === null ? null : (JSON.parse(text) as T);
}
