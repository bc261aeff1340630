// Writing one version of an hour: its files, the day files, `onPublished`, then the manifest (DESIGN 3.3, 3.4).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../config/index.js';
import { parseReportFile, reportLine, type HourStats, type ReportLine } from '../../contracts/index.js';
import { currentReportText, prepareDayFiles, type VaultNames } from './day-files.js';
import { writeHourFiles, type PreparedHourFiles } from './hour-files.js';
import type { HourLabel } from '../../contracts/hour-label.js';
import { writeManifest, type HourManifest, type ManifestFile } from '../../contracts/hour-manifest.js';
import type { HourRows } from '../../merge/merge-copies.js';
import type { PreparedFile } from './prepared-file.js';
import type { PublishDeps, PublishedFile, PublishOutcome } from './publish-types.js';
import { rawArchiveSources, writeRawArchive } from './raw-archive.js';
import type { FileDigest, XzOptions } from './xz-file.js';
import { temporaryPathFor } from '../../platform/atomic-write.js';

/** Encoder settings from `hourly.xz_*` (`xz_threads` 0 = one thread per core). */
export function xzOptionsFor(settings: Settings): XzOptions {
  const { xz_preset: preset, xz_threads: threads, xz_block_mib: blockMib } = settings.hourly;
  return { preset, threads: threads === 0 ? availableParallelism() : threads, blockBytes: blockMib * 1024 * 1024 };
}

/** Where a vault file of label date `labelDate` goes on OSF: `YYYY/MM/DD/<name>` (DESIGN 7). */
export function remotePath(labelDate: string, name: string): string {
  return `${labelDate.replaceAll('-', '/')}/${name}`;
}

/** A manifest entry for a prepared file. */
export function manifestFile(name: string, file: FileDigest): ManifestFile {
  return { name, sha256: file.sha256, bytes: file.bytes };
}

function sameLine(a: ReportLine | undefined, b: ReportLine): boolean {
  return a !== undefined && (Object.keys(b) as Array<keyof ReportLine>).every((key) => a[key] === b[key]);
}

/** What every version of an hour is built from. */
export interface VersionBase {
  key: string;
  label: HourLabel;
  names: VaultNames;
  stats: HourStats;
  chunkKeys: string[];
  previous: HourManifest | null;
}

/** An hour's files of one version, prepared: the three files, and the raw archive with `archive_raw`. */
export interface VersionFiles extends PreparedHourFiles {
  raw: PreparedFile | null;
}

/** Writes the hour's files (and raw archive) under temporary names. */
export async function buildFiles(deps: PublishDeps, base: VersionBase, rows: HourRows): Promise<VersionFiles> {
  const { settings } = deps;
  const { key, names } = base;
  const { staging } = settings.paths;
  const files = await writeHourFiles({
    rows,
    schema: settings.hourly.csv_schema,
    paths: {
      ids: join(names.dayDir, names.ids),
      tweets: join(names.dayDir, names.tweets),
      users: join(names.dayDir, names.users),
    },
    xz: xzOptionsFor(settings),
    scratchPath: temporaryPathFor(join(staging, `users-${key}`)),
    crashPoint: deps.crashPoint,
  });
  if (!settings.hourly.archive_raw) return { ...files, raw: null };
  try {
    const sources = await rawArchiveSources(staging, key, rows.chunks);
    const options = { ...xzOptionsFor(settings), preset: settings.hourly.raw_xz_preset };
    return { ...files, raw: await writeRawArchive(join(names.dayDir, names.raw), sources, options) };
  } catch (err) {
    await Promise.all([files.ids.abort(), files.tweets.abort(), files.users.abort()]);
    throw err;
  }
}

/** Commits a new version: files, day report and SHA256SUMS renamed into place, then onPublished and the manifest. */
export async function writeVersion(deps: PublishDeps, base: VersionBase, files: VersionFiles): Promise<PublishOutcome> {
  const { key, label, names, stats, chunkKeys, previous } = base;
  const { ids, tweets, users, raw } = files;
  const prepared = raw === null ? [ids, tweets, users] : [ids, tweets, users, raw];
  const changed =
    previous === null ||
    ids.sha256 !== previous.files.ids.sha256 ||
    tweets.sha256 !== previous.files.tweets.sha256 ||
    users.sha256 !== previous.files.users.sha256 ||
    (raw !== null && raw.sha256 !== previous.files.raw?.sha256);
  const version = previous === null ? 1 : previous.version + (changed ? 1 : 0);
  const line = reportLine(label.hour, stats, version, deps.settings.hourly.output_timezone);
  const fresh = new Map([
    [names.ids, ids.sha256],
    [names.tweets, tweets.sha256],
    [names.users, users.sha256],
  ]);
  if (raw !== null) fresh.set(names.raw, raw.sha256);
  let day;
  try {
    day = await prepareDayFiles(names, line, fresh);
  } catch (err) {
    await Promise.all(prepared.map((file) => file.abort()));
    throw err;
  }
  deps.crashPoint?.('publish-before-rename');
  for (const file of [...prepared, day.report, day.sums]) await file.commit();
  const nowIso = new Date(deps.clock.now()).toISOString();
  const manifest: HourManifest = {
    format_version: 1,
    hour: key,
    label: label.label,
    version,
    first_published_at: previous?.first_published_at ?? nowIso,
    published_at: nowIso,
    counts: { ...countsOf(stats) },
    ids_digest: files.idsDigest,
    files: {
      ids: manifestFile(names.ids, ids),
      tweets: manifestFile(names.tweets, tweets),
      users: manifestFile(names.users, users),
      ...(raw === null ? {} : { raw: manifestFile(names.raw, raw) }),
    },
    first_chunks: previous?.first_chunks ?? chunkKeys,
    chunks: chunkKeys,
    closed_at: null,
  };
  await commitPublication(deps, manifest, names, label);
  return { hour: key, label: label.label, kind: previous === null ? 'published' : changed ? 'amended' : 'rebuilt', manifest };
}

/** Same IDs as the published version: only the report line (and SHA256SUMS) is rewritten, when it changed. */
export async function refreshReport(deps: PublishDeps, base: VersionBase & { previous: HourManifest }): Promise<PublishOutcome> {
  const { key, label, names, stats, chunkKeys, previous } = base;
  const line = reportLine(label.hour, stats, previous.version, deps.settings.hourly.output_timezone);
  const current = parseReportFile((await currentReportText(names)) ?? '').find((l) => l.hour === label.hour);
  const manifest: HourManifest = { ...previous, counts: countsOf(stats), chunks: chunkKeys };
  if (sameLine(current, line)) {
    await writeManifest(deps.settings.paths.staging, manifest);
    return { hour: key, label: label.label, kind: 'unchanged', manifest };
  }
  const { files } = previous;
  const fresh = new Map([files.ids, files.tweets, files.users].map((file) => [file.name, file.sha256]));
  const day = await prepareDayFiles(names, line, fresh);
  for (const file of [day.report, day.sums]) await file.commit();
  manifest.published_at = new Date(deps.clock.now()).toISOString();
  await commitPublication(deps, manifest, names, label);
  return { hour: key, label: label.label, kind: 'refreshed', manifest };
}

function countsOf(stats: HourStats): HourManifest['counts'] {
  const { serv1, serv2, total, only1, only2, diff, late } = stats;
  return { serv1, serv2, total, only1, only2, diff, late };
}

/** Tells `onPublished` about an hour's durable files, then writes its manifest: the commit point. */
export async function commitPublication(
  deps: PublishDeps,
  manifest: HourManifest,
  names: VaultNames,
  label: HourLabel,
): Promise<void> {
  deps.crashPoint?.('publish-before-callback');
  const published = (name: string): PublishedFile => ({
    localPath: join(names.dayDir, name),
    remotePath: remotePath(label.date, name),
  });
  await deps.onPublished?.({
    hour: manifest.hour,
    label: label.label,
    version: manifest.version,
    ids: published(names.ids),
    report: published(names.report),
    sums: published(names.sums),
  });
  deps.crashPoint?.('publish-before-manifest');
  await writeManifest(deps.settings.paths.staging, manifest);
}
