import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import lzma from 'lzma-native';
import { join } from 'node:path';
import { hourKey, parseHourKey, tweetIdTimeMs } from '../contracts/index.js';
import { HOUR_MS } from '../platform/time.js';
import { isOnDisk, type FileResult } from './summary.js';

/** The first and last line of an xz-compressed IDs file (the smallest and largest ID); null when it is empty. */
export async function idRange(path: string): Promise<{ first: string; last: string } | null> {
  let first: string | null = null;
  let last: string | null = null;
  let pending = '';
  const lines = new Writable({
    decodeStrings: false,
    write(chunk: Buffer, _encoding, done) {
      const parts = (pending + chunk.toString('latin1')).split('\n');
      pending = parts.pop()!;
      if (parts.length > 0) {
        first ??= parts[0]!;
        last = parts.at(-1)!;
      }
      done();
    },
  });
  await pipeline(createReadStream(path), lzma.createDecompressor(), lines);
  if (pending !== '') {
    first ??= pending;
    last = pending;
  }
  return first === null || last === null ? null : { first, last };
}

/**
 * Whether the IDs of `name`, downloaded for the UTC hour starting `hourStartMs` with labels assumed in
 * `timeZone`, were created in that hour. IDs encode their creation time, so IDs of another hour mean that the
 * publisher's labels are in another zone.
 */
export function labelZoneProblem(name: string, hourStartMs: number, timeZone: string, range: { first: string; last: string }): string | null {
  const times = [tweetIdTimeMs(range.first), tweetIdTimeMs(range.last)];
  if (times.every((ms) => ms >= hourStartMs && ms < hourStartMs + HOUR_MS)) return null;
  const foundHourMs = Math.floor(times[0]! / HOUR_MS) * HOUR_MS;
  const hours = Math.round((hourStartMs - foundHourMs) / HOUR_MS);
  if (hours === 0) return `${name} holds tweets created outside the hour ${hourKey(hourStartMs)} UTC`;
  const found = `${name} holds tweets of ${hourKey(foundHourMs)} UTC, not of ${hourKey(hourStartMs)} UTC`;
  const direction = `${Math.abs(hours)} hour${Math.abs(hours) === 1 ? '' : 's'} ${hours > 0 ? 'ahead of' : 'behind'} ${timeZone}`;
  return `${found}: the project's labels are in a zone ${direction}; pass --timezone with the publisher's hourly.output_timezone`;
}

/** The first label-zone problem among the IDs files now on disk (empty hours say nothing), or null. */
export async function findLabelZoneProblem(outDir: string, files: readonly FileResult[], timeZone: string): Promise<string | null> {
  for (const file of files) {
    if (file.hourKey === null || !isOnDisk(file.status)) continue;
    // Best effort: a file that is not valid xz still matched both hashes, so it is what was published.
    const range = await idRange(join(outDir, file.day, file.name)).catch(() => null);
    const problem = range === null ? null : labelZoneProblem(file.name, parseHourKey(file.hourKey), timeZone, range);
    if (problem !== null) return problem;
  }
  return null;
}
