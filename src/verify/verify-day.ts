import { readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseSha256Sums } from '../contracts/index.js';
import { fileSha256 } from '../platform/file-sha256.js';
import { readTextIfExists } from '../platform/optional-files.js';
import { xzTest } from './xz-test.js';

/** One problem `verify` found; `file` is null for the day folder as a whole. */
export interface VerifyProblem {
  day: string;
  file: string | null;
  message: string;
}

/** What the local check of one day found, and the local sha256 of each of its files. */
export interface DayCheck {
  problems: VerifyProblem[];
  hashes: Map<string, string>;
}

/** The name of a day's checksum file, `<YYYY-MM-DD>_SHA256SUMS` (DESIGN 3.3). */
export function sumsFileName(day: string): string {
  return `${day}_SHA256SUMS`;
}

async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/** Sha256 of each file checked against `<day>_SHA256SUMS` (missing, unlisted and mismatching files). */
function compareWithSums(day: string, sumsText: string | null, hashes: ReadonlyMap<string, string>): VerifyProblem[] {
  const sumsName = sumsFileName(day);
  if (sumsText === null) return [{ day, file: sumsName, message: 'missing: the day has no checksum file' }];
  const sums = parseSha256Sums(sumsText);
  const problems: VerifyProblem[] = sums.badLines.map((line) => ({
    day,
    file: sumsName,
    message: `line ${line} is not "<sha256>  <file name>"`,
  }));
  for (const [name, expected] of sums.hashes) {
    const actual = hashes.get(name);
    if (actual === undefined) problems.push({ day, file: name, message: `listed in ${sumsName} but missing` });
    else if (actual !== expected) {
      problems.push({ day, file: name, message: `sha256 ${actual} does not match ${sumsName} (${expected})` });
    }
  }
  for (const name of hashes.keys()) {
    if (!sums.hashes.has(name)) problems.push({ day, file: name, message: `not listed in ${sumsName}` });
  }
  return problems;
}

/**
 * Checks one vault day folder on disk: `xz -t` on every .xz file and every file's sha256 against the
 * day's SHA256SUMS (DESIGN 10). Temporary dot-files are ignored.
 */
export async function verifyDayFiles(dayDir: string, day: string): Promise<DayCheck> {
  const entries = await readdir(dayDir, { withFileTypes: true });
  const names = entries.filter((e) => e.isFile() && !e.name.startsWith('.') && e.name !== sumsFileName(day)).map((e) => e.name).sort();
  const hashes = new Map<string, string>();
  const problems: VerifyProblem[] = [];
  await forEachLimit(names, availableParallelism(), async (name) => {
    const path = join(dayDir, name);
    const [sha256, xzProblem] = await Promise.all([fileSha256(path), name.endsWith('.xz') ? xzTest(path) : null]);
    hashes.set(name, sha256);
    if (xzProblem !== null) problems.push({ day, file: name, message: `xz -t failed: ${xzProblem}` });
  });
  const sumsText = await readTextIfExists(join(dayDir, sumsFileName(day)));
  if (sumsText !== null) hashes.set(sumsFileName(day), await fileSha256(join(dayDir, sumsFileName(day))));
  const listed = new Map([...hashes].filter(([name]) => name !== sumsFileName(day)));
  problems.push(...compareWithSums(day, sumsText, listed));
  return { problems, hashes };
}
