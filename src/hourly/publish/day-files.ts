import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileSha256 } from '../../platform/file-sha256.js';
import { readTextIfExists } from '../../platform/optional-files.js';
import { formatSha256Sums, parseSha256Sums, upsertReportLine, type ReportLine } from '../../contracts/index.js';
import { prepareFile, type PreparedFile } from './prepared-file.js';

/** Vault names of an hour's files and its day's files (DESIGN 3.3). */
export interface VaultNames {
  dayDir: string;
  ids: string;
  tweets: string;
  users: string;
  report: string;
  sums: string;
  raw: string;
}

/** The vault file names for a label ('YYYY-MM-DD_HH[b]') on its date. */
export function vaultNames(vault: string, labelDate: string, label: string): VaultNames {
  return {
    dayDir: join(vault, labelDate),
    ids: `${label}_IDs.txt.xz`,
    tweets: `${label}_tweets.csv.xz`,
    users: `${label}_users.csv.xz`,
    report: `${labelDate}_report.txt`,
    sums: `${labelDate}_SHA256SUMS`,
    raw: `${label}_raw.jsonl.xz`,
  };
}

/** The day's report and SHA256SUMS, prepared (fsynced under temporary names) but not yet visible. */
export interface PreparedDayFiles {
  report: PreparedFile;
  sums: PreparedFile;
}

/**
 * Prepares the day report with `line` replacing its hour's line, and the day's SHA256SUMS listing every file of
 * the day folder: `fresh` gives the hashes of files being replaced now; other files keep the hash the current
 * SHA256SUMS lists (they did not change), and files it does not list are hashed.
 */
export async function prepareDayFiles(
  names: VaultNames,
  line: ReportLine,
  fresh: ReadonlyMap<string, string>,
): Promise<PreparedDayFiles> {
  const reportPath = join(names.dayDir, names.report);
  const report = await prepareFile(reportPath, upsertReportLine(await readTextIfExists(reportPath), line));
  try {
    const known = parseSha256Sums((await readTextIfExists(join(names.dayDir, names.sums))) ?? '').hashes;
    const hashes = new Map<string, string>();
    for (const entry of await readdir(names.dayDir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name.startsWith('.') || entry.name === names.sums) continue;
      hashes.set(entry.name, known.get(entry.name) ?? (await fileSha256(join(names.dayDir, entry.name))));
    }
    for (const [name, sha256] of fresh) hashes.set(name, sha256);
    hashes.set(names.report, report.sha256);
    const sums = await prepareFile(join(names.dayDir, names.sums), formatSha256Sums(hashes));
    return { report, sums };
  } catch (err) {
    await report.abort();
    throw err;
  }
}

/** The day report's current text, or null before the day's first hour. */
export async function currentReportText(names: VaultNames): Promise<string | null> {
  return readTextIfExists(join(names.dayDir, names.report));
}
