import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import lzma from 'lzma-native';

/** A line of an IDs file that is not a tweet ID (the file and line say where to fix it). */
export class IdFileError extends Error {
  override name = 'IdFileError';
}

/** One ID per line, 1 to 19 digits (a snowflake fits 19); kept as a string, since 2^53 loses digits. */
const ID_LINE = /^[0-9]{1,19}$/;

/** An IDs file and the number of IDs it holds. */
export interface IdFileInfo {
  path: string;
  ids: number;
}

function lines(path: string): AsyncIterable<string> {
  const raw = createReadStream(path);
  const source: Readable = path.endsWith('.xz') ? pipeline(raw, lzma.createDecompressor(), () => undefined) : raw;
  return createInterface({ input: source, crlfDelay: Infinity });
}

/** The IDs of a `.txt` or `.txt.xz` file in file order; blank lines are skipped, anything else is an IdFileError. */
export async function* readIdFile(path: string): AsyncGenerator<string> {
  let lineNumber = 0;
  try {
    for await (const line of lines(path)) {
      lineNumber += 1;
      const id = line.trim();
      if (id === '') continue;
      if (!ID_LINE.test(id)) {
        throw new IdFileError(`Cannot read ${path}:${lineNumber}: "${id.slice(0, 40)}" is not a tweet ID (1 to 19 digits, one per line)`);
      }
      yield id;
    }
  } catch (err) {
    if (err instanceof IdFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new IdFileError(`Cannot read IDs file ${path}: ${code ?? (err as Error).message}`, { cause: err });
  }
}

/** Reads every file once to validate it and count its IDs, before any request is made. */
export async function scanIdFiles(paths: readonly string[]): Promise<IdFileInfo[]> {
  const infos: IdFileInfo[] = [];
  for (const path of paths) {
    let ids = 0;
    for await (const _id of readIdFile(path)) ids += 1;
    infos.push({ path, ids });
  }
  return infos;
}

/** The IDs of all files in order, after the first `skip` (a resumed run's finished part). */
export async function* idsAfter(paths: readonly string[], skip: number): AsyncGenerator<string> {
  let seen = 0;
  for (const path of paths) {
    for await (const id of readIdFile(path)) {
      seen += 1;
      if (seen > skip) yield id;
    }
  }
}
