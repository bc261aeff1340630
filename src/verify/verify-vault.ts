import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Settings } from '../config/index.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { compareWithOsf, osfDayHashes } from './verify-osf.js';
import { openOsfConnection, readOutboxStatus, type OsfConnection } from '../osf/index.js';
import { verifyDayFiles, type VerifyProblem } from './verify-day.js';
import { isNotFound } from '../platform/fs-errors.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Dependencies of verifyVault(). */
export interface VerifyDeps {
  settings: Settings;
  clock: Clock;
  log: Logger;
}

/** What `verify` checked and found. */
export interface VerifyReport {
  days: string[];
  files: number;
  problems: VerifyProblem[];
}

/** One output line for a problem: `<day>/<file>: <message>`. */
export function formatProblem(problem: VerifyProblem): string {
  return `${problem.day}${problem.file === null ? '' : `/${problem.file}`}: ${problem.message}`;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function dayFolders(vault: string, day: string | undefined): Promise<string[]> {
  if (day !== undefined) return [day];
  const entries = await readdir(vault, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && DAY.test(e.name)).map((e) => e.name).sort();
}

async function checkOsf(
  connection: OsfConnection,
  day: string,
  hashes: ReadonlyMap<string, string>,
  pending: ReadonlySet<string>,
): Promise<VerifyProblem[]> {
  try {
    return compareWithOsf(day, hashes, await osfDayHashes(connection, day), pending);
  } catch (err) {
    return [{ day, file: null, message: `cannot check OSF: ${(err as Error).message}` }];
  }
}

/**
 * `verify` (DESIGN 10): every day folder of the vault, or only `day`: `xz -t`, sha256 against the day's
 * SHA256SUMS and, with OSF enabled, against the hashes OSF reports for the published files.
 */
export async function verifyVault(deps: VerifyDeps, options: { day?: string } = {}): Promise<VerifyReport> {
  const { settings, clock, log } = deps;
  const days = await dayFolders(settings.paths.vault, options.day);
  const problems: VerifyProblem[] = [];
  let files = 0;
  let connection: OsfConnection | null = null;
  let pending = new Set<string>();
  if (settings.osf.enabled) {
    connection = await openOsfConnection(settings, clock);
    pending = new Set((await readOutboxStatus(settings.paths.state)).pending.map((entry) => entry.remotePath));
  }
  for (const day of days) {
    const dayDir = join(settings.paths.vault, day);
    const local = await verifyDayFiles(dayDir, day).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
      return null;
    });
    if (local === null) {
      problems.push({ day, file: null, message: `no day folder ${dayDir}` });
      continue;
    }
    files += local.hashes.size;
    const dayProblems = [...local.problems];
    if (connection !== null) dayProblems.push(...(await checkOsf(connection, day, local.hashes, pending)));
    dayProblems.sort((a, b) => byCodePoint(formatProblem(a), formatProblem(b)));
    problems.push(...dayProblems);
    log.debug({ day, problems: dayProblems.length }, 'day verified');
  }
  await connection?.folders.save();
  return { days, files, problems };
}
