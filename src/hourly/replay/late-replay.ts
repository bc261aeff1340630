import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import lzma from 'lzma-native';
import {
  compareCopies,
  csvRecord,
  retrievedAtMs,
  tweetKey,
  tweetRow,
  userRow,
  type CopyRank,
  type CsvSchema,
  type StreamMessage,
} from '../../merge/index.js';
import {
  parseReportFile,
} from '../../contracts/index.js';
import { idToU64 } from '../staging/chunk-index.js';
import { csvRecords, type CsvRecord } from './csv-records.js';
import { currentReportText, prepareDayFiles, vaultNames } from '../publish/day-files.js';
import { hourLabel } from '../../contracts/hour-label.js';
import type { HourManifest } from '../../contracts/hour-manifest.js';
import { lateFiles, removeLateFiles } from '../staging/late-store.js';
import { isOverlong, LineSplitter } from '../ingest/line-splitter.js';
import { commitPublication, manifestFile, xzOptionsFor } from '../publish/hour-version.js';
import { removeLeftoverTemporaries } from '../../platform/atomic-write.js';
import type { PublishDeps, PublishOutcome } from '../publish/publish-types.js';
import { openXzFile, type XzFile } from '../publish/xz-file.js';

/** The winning late copy of one ID, and which servers delivered it late. */
interface LateCopy {
  id: bigint;
  authorId: bigint;
  message: StreamMessage;
  rank: CopyRank;
  /** Bit 1: server 1 had a copy, bit 2: server 2. */
  servers: number;
}

async function readLateCopies(staging: string, hourKey: string): Promise<LateCopy[]> {
  const byId = new Map<bigint, LateCopy>();
  for (const [fileSeq, late] of (await lateFiles(staging, hourKey)).entries()) {
    const splitter = new LineSplitter();
    const lines = splitter.push(readFileSync(late.path));
    const last = splitter.end();
    if (last !== null) lines.push(last);
    lines.forEach((line, lineNo) => {
      // Late files hold lines ingest already parsed, so none is over-long; skip one rather than fail.
      if (isOverlong(line)) return;
      let message: StreamMessage;
      try {
        message = JSON.parse(line.toString('utf8')) as StreamMessage;
      } catch {
        return;
      }
      const key = tweetKey(message);
      const id = key === null ? null : idToU64(key.id);
      if (key === null || id === null) return;
      const copy: LateCopy = {
        id,
        authorId: idToU64(key.authorId) ?? 0n,
        message,
        rank: { retrievedAtMs: retrievedAtMs(message), server: late.server, fileSeq, line: lineNo },
        servers: late.server === 'server1' ? 1 : 2,
      };
      const seen = byId.get(id);
      if (seen === undefined) byId.set(id, copy);
      else byId.set(id, { ...(compareCopies(copy.rank, seen.rank) < 0 ? copy : seen), servers: seen.servers | copy.servers });
    });
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function csvRecordsOf(path: string): AsyncGenerator<CsvRecord> {
  const source: Readable = pipeline(createReadStream(path), lzma.createDecompressor(), () => undefined);
  return csvRecords(source);
}

/** Result of merging late copies into the published tweets. */
interface TweetsMerge {
  added: LateCopy[];
  replaced: number;
  /** Authors whose users row must now come from a late copy, in author order. */
  userChanges: LateCopy[];
  idsDigest: string;
}

async function mergeTweets(
  path: string,
  late: readonly LateCopy[],
  tweets: XzFile,
  ids: XzFile,
  schema: CsvSchema,
): Promise<TweetsMerge> {
  const result: TweetsMerge = { added: [], replaced: 0, userChanges: [], idsDigest: '' };
  const lateAuthors = new Set(late.map((copy) => copy.authorId).filter((author) => author !== 0n));
  const newest = new Map<bigint, LateCopy | null>();
  const idsHash = createHash('sha256');
  let header = true;
  let j = 0;
  const emit = async (record: string, id: bigint, author: bigint, copy: LateCopy | null) => {
    await tweets.write(record);
    idsHash.update(`${id}\n`);
    await ids.write(`${id}\n`);
    if (lateAuthors.has(author)) newest.set(author, copy);
  };
  const emitLate = (copy: LateCopy) => emit(csvRecord(tweetRow(copy.message, schema)), copy.id, copy.authorId, copy);
  for await (const { fields, raw: record } of csvRecordsOf(path)) {
    if (header) {
      await tweets.write(record);
      header = false;
      continue;
    }
    const [idText = '', , authorText = '', , retrievedText = ''] = fields;
    const id = BigInt(idText);
    for (; j < late.length && late[j]!.id < id; j++) {
      result.added.push(late[j]!);
      await emitLate(late[j]!);
    }
    const same = j < late.length && late[j]!.id === id ? late[j++]! : null;
    const oldRetrieved = Date.parse(retrievedText);
    if (same !== null && same.rank.retrievedAtMs < (Number.isNaN(oldRetrieved) ? Number.POSITIVE_INFINITY : oldRetrieved)) {
      result.replaced++;
      await emitLate(same);
    } else {
      await emit(record, id, idToU64(authorText) ?? 0n, null);
    }
  }
  for (; j < late.length; j++) {
    result.added.push(late[j]!);
    await emitLate(late[j]!);
  }
  result.userChanges = [...newest.values()]
    .filter((copy): copy is LateCopy => copy !== null)
    .sort((a, b) => (a.authorId < b.authorId ? -1 : 1));
  result.idsDigest = idsHash.digest('hex');
  return result;
}

async function mergeUsers(path: string, changes: readonly LateCopy[], users: XzFile): Promise<void> {
  let header = true;
  let j = 0;
  for await (const { fields, raw: record } of csvRecordsOf(path)) {
    if (header) {
      await users.write(record);
      header = false;
      continue;
    }
    const author = BigInt(fields[0] ?? '0');
    for (; j < changes.length && changes[j]!.authorId < author; j++) await users.write(csvRecord(userRow(changes[j]!.message)));
    if (j < changes.length && changes[j]!.authorId === author) await users.write(csvRecord(userRow(changes[j++]!.message)));
    else await users.write(record);
  }
  for (; j < changes.length; j++) await users.write(csvRecord(userRow(changes[j]!.message)));
}

function countsWith(counts: HourManifest['counts'], added: readonly LateCopy[]): HourManifest['counts'] {
  const next = { ...counts };
  for (const copy of added) {
    const has1 = copy.servers & 1 ? 1 : 0;
    const has2 = copy.servers & 2 ? 1 : 0;
    next.total++;
    next.late++;
    next.serv1 += has1;
    next.serv2 += has2;
    next.only1 += has1 & (1 - has2);
    next.only2 += has2 & (1 - has1);
  }
  next.diff = next.only1 + next.only2;
  return next;
}

/**
 * `hourly --hour H --include-late` for a closed hour (see amend.ts): adds the late tweets to the published files
 * (new IDs get rows; an ID already published keeps its row unless the late copy was retrieved earlier; a users
 * row is replaced when the author's largest ID is now a late tweet) and publishes them as a new version.
 * Counts grow by the new IDs; which server had an already published ID is not kept after closing, so late
 * copies of published IDs do not change `serv N`.
 */
export async function replayLateIntoClosedHour(
  deps: PublishDeps,
  hourMs: number,
  manifest: HourManifest,
): Promise<PublishOutcome> {
  const { settings, log } = deps;
  const { staging } = settings.paths;
  const label = hourLabel(hourMs, settings.hourly.output_timezone);
  const unchanged: PublishOutcome = { hour: manifest.hour, label: label.label, kind: 'unchanged', manifest };
  const late = await readLateCopies(staging, manifest.hour);
  if (late.length === 0) return unchanged;
  const names = vaultNames(settings.paths.vault, label.date, label.label);
  await removeLeftoverTemporaries(names.dayDir);
  const xz = xzOptionsFor(settings);
  const opened: XzFile[] = [];
  const open = async (name: string, threads: number) => {
    const file = await openXzFile(join(names.dayDir, name), { ...xz, threads });
    opened.push(file);
    return file;
  };
  try {
    const [tweets, ids] = [await open(names.tweets, xz.threads), await open(names.ids, 1)];
    const previousTweets = join(names.dayDir, manifest.files.tweets.name);
    const merged = await mergeTweets(previousTweets, late, tweets, ids, settings.hourly.csv_schema);
    const [tweetsDigest, idsFile] = [await tweets.finish(), await ids.finish()];
    // The users encoder starts once the tweets encoder is done, as in a normal publication (memory).
    const users = await open(names.users, xz.threads);
    await mergeUsers(join(names.dayDir, manifest.files.users.name), merged.userChanges, users);
    const usersDigest = await users.finish();
    if (merged.added.length === 0 && merged.replaced === 0) {
      await Promise.all(opened.map((file) => file.abort()));
      await removeLateFiles(staging, manifest.hour);
      return unchanged;
    }
    const counts = countsWith(manifest.counts, merged.added);
    const version = manifest.version + 1;
    const current = parseReportFile((await currentReportText(names)) ?? '').find((line) => line.hour === label.hour);
    const line = { hour: label.hour, gaps1: current?.gaps1 ?? '', gaps2: current?.gaps2 ?? '', ...counts, version };
    const fresh = new Map([[names.ids, idsFile.sha256], [names.tweets, tweetsDigest.sha256], [names.users, usersDigest.sha256]]);
    const day = await prepareDayFiles(names, line, fresh);
    for (const file of [ids, tweets, users, day.report, day.sums]) await file.commit();
    const next: HourManifest = {
      ...manifest,
      version,
      published_at: new Date(deps.clock.now()).toISOString(),
      counts,
      ids_digest: merged.idsDigest,
      files: {
        ids: manifestFile(names.ids, idsFile),
        tweets: manifestFile(names.tweets, tweetsDigest),
        users: manifestFile(names.users, usersDigest),
      },
    };
    await commitPublication(deps, next, names, label);
    await removeLateFiles(staging, manifest.hour);
    const { added, replaced } = merged;
    log.info({ hour: manifest.hour, label: label.label, version, added: added.length, replaced }, 'late arrivals replayed');
    return { hour: manifest.hour, label: label.label, kind: 'amended', manifest: next };
  } catch (err) {
    await Promise.all(opened.map((file) => file.abort()));
    throw err;
  }
}
