import { open, stat, truncate, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Clock } from '../platform/clock.js';
import { isNotFound } from '../platform/fs-errors.js';
import type { Logger } from '../platform/logger.js';
import {
  fieldsQuery,
  MAX_LOOKUP_IDS,
  openXClient,
  toXApiError,
  type FieldSettings,
  type TweetLookup,
  type XClient,
} from '../xapi/index.js';
import { batchesOf, lookupOutcome, MISSING_HEADER, missingLines, type IdBatch } from './batches.js';
import { readCheckpoint, resumePoint, writeCheckpoint, type HydrateCounts } from './checkpoint.js';
import { idsAfter, scanIdFiles } from './id-files.js';
import { retryDecision, waitAfterSuccess } from './retry-policy.js';
import { writeTweetsCsv, type HydratedLine } from './tweets-csv.js';

/** What to hydrate and where to write it. */
export interface HydrateOptions {
  /** `.txt` or `.txt.xz` files, one tweet ID per line. */
  idFiles: readonly string[];
  /** One API answer per line (JSONL); its checkpoint and missing list go next to it. */
  outPath: string;
  /** Also write the tweets CSV (DESIGN 3.3) here once every ID is done; `.xz` compresses. */
  csvPath: string | null;
  baseUrl: string;
  tokenFile: string;
  /** Names the token file in messages. @default 'x_api.bearer_token_file' */
  tokenKey?: string;
  /** The stream's fields and expansions (the settings' x_api, or the defaults). */
  fields: FieldSettings;
}

/** Where a job stands, for a progress bar. */
export interface HydrateProgress {
  total: number;
  done: number;
  found: number;
  missing: number;
  requests: number;
  /** Set while waiting for a rate-limit window (epoch ms of the end of the wait). */
  waitingUntilMs: number | null;
}

/** What hydrate needs besides its options. */
export interface HydrateDeps {
  clock: Clock;
  log: Logger;
  onProgress?: (progress: HydrateProgress) => void;
}

/** The end of a job (totals include earlier, interrupted runs of it). */
export interface HydrateSummary {
  total: number;
  requested: number;
  found: number;
  missing: number;
  missingByKind: Record<string, number>;
  requests: number;
  /** ceil(unique IDs / 100): the fewest requests the job could have made. */
  minimumRequests: number;
  retries: number;
  rateLimitWaits: number;
  rateLimitWaitMs: number;
  /** IDs already done by an earlier run when this one started. */
  resumedAt: number;
  outPath: string;
  missingPath: string;
  checkpointPath: string;
  csvPath: string | null;
  csvRows: number | null;
}

/** `OUT.missing.tsv` for `OUT.jsonl` (or `OUT.missing.tsv` appended to another name). */
export function missingPathFor(outPath: string): string {
  return `${outPath.replace(/\.jsonl$/, '')}.missing.tsv`;
}

/** `OUT.jsonl.checkpoint.json`. */
export function checkpointPathFor(outPath: string): string {
  return `${outPath}.checkpoint.json`;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if (isNotFound(err)) return 0;
    throw err;
  }
}

/** Opens `path` for appending after cutting it to `bytes` (what the last checkpoint covered). */
async function openTruncated(path: string, bytes: number): Promise<FileHandle> {
  const handle = await open(path, 'a');
  await truncate(path, bytes);
  return handle;
}

/** Sends one batch until it succeeds, waiting as retryDecision() says; throws XApiError when it must stop. */
async function lookupWithRetries(
  client: XClient,
  batch: IdBatch,
  query: Record<string, string>,
  counts: HydrateCounts,
  deps: HydrateDeps,
  waitFor: (delayMs: number, rateLimited: boolean) => Promise<void>,
): Promise<TweetLookup> {
  for (let attempt = 0; ; attempt++) {
    counts.requests += 1;
    try {
      return await client.lookupTweets(batch.ids, query);
    } catch (err) {
      const failure = toXApiError(err, 'GET /2/tweets');
      const decision = retryDecision(failure, attempt, deps.clock.now());
      if (decision.action === 'stop') throw failure;
      counts.retries += 1;
      deps.log.warn({ status: failure.status, kind: failure.kind, delayMs: decision.delayMs, attempt }, 'lookup failed, retrying');
      await waitFor(decision.delayMs, decision.rateLimited);
    }
  }
}

/**
 * Hydrates tweet IDs (issue 11.2): 100 IDs a request through src/xapi, one answer per OUT line (plus
 * `__meta.retrieved_at`), missing IDs in OUT.missing.tsv, waits for spent rate-limit windows on the injected
 * clock, and a checkpoint after every batch so kill -9 and the same call again neither repeat nor lose a line.
 */
export async function hydrateIds(options: HydrateOptions, deps: HydrateDeps): Promise<HydrateSummary> {
  const { clock, log } = deps;
  const outPath = resolve(options.outPath);
  const missingPath = missingPathFor(outPath);
  const checkpointPath = checkpointPathFor(outPath);
  const query = fieldsQuery(options.fields);
  const inputs = await scanIdFiles(options.idFiles.map((path) => resolve(path)));
  const total = inputs.reduce((sum, info) => sum + info.ids, 0);
  const start = resumePoint(await readCheckpoint(checkpointPath), { inputs, query, outPath, outBytes: await sizeOf(outPath) });
  const counts = start.counts;
  let idsDone = start.idsDone;
  if (idsDone > 0) log.info({ idsDone, total }, 'resuming from the checkpoint');

  const progress = (waitingUntilMs: number | null = null) =>
    deps.onProgress?.({ total, done: idsDone, found: counts.found, missing: counts.missing, requests: counts.requests, waitingUntilMs });
  const waitFor = async (delayMs: number, rateLimited: boolean) => {
    if (rateLimited) {
      counts.rate_limit_waits += 1;
      counts.rate_limit_wait_ms += delayMs;
    }
    progress(clock.now() + delayMs);
    await clock.sleep(delayMs);
  };

  const out = await openTruncated(outPath, start.outBytes);
  const missingFile = await openTruncated(missingPath, start.missingBytes);
  let outBytes = start.outBytes;
  let missingBytes = start.missingBytes;
  let client: XClient | null = null;
  try {
    if (missingBytes === 0) missingBytes += (await missingFile.write(MISSING_HEADER)).bytesWritten;
    let pauseMs = 0;
    for await (const batch of batchesOf(idsAfter(inputs.map((i) => i.path), idsDone), MAX_LOOKUP_IDS)) {
      client ??= await openXClient({ baseUrl: options.baseUrl, tokenFile: options.tokenFile, tokenKey: options.tokenKey });
      if (pauseMs > 0) await waitFor(pauseMs, true);
      const answer = await lookupWithRetries(client, batch, query, counts, deps, waitFor);
      const line: HydratedLine = { ...answer.body, __meta: { retrieved_at: new Date(clock.now()).toISOString() } };
      const outcome = lookupOutcome(batch.ids, answer.body);
      outBytes += (await out.write(`${JSON.stringify(line)}\n`)).bytesWritten;
      if (outcome.missing.length > 0) missingBytes += (await missingFile.write(missingLines(outcome.missing))).bytesWritten;
      // The lines must be on disk before the checkpoint that covers them, or a crash could lose them.
      await Promise.all([out.datasync(), missingFile.datasync()]);
      counts.requested += batch.ids.length;
      counts.found += outcome.found;
      counts.missing += outcome.missing.length;
      for (const { reason } of outcome.missing) counts.missing_by_kind[reason] = (counts.missing_by_kind[reason] ?? 0) + 1;
      idsDone += batch.consumed;
      await writeCheckpoint(checkpointPath, {
        format_version: 1,
        inputs,
        query,
        ids_done: idsDone,
        out_bytes: outBytes,
        missing_bytes: missingBytes,
        counts,
        updated_at: new Date(clock.now()).toISOString(),
      });
      pauseMs = waitAfterSuccess(answer.rateLimit, clock.now());
      progress();
    }
  } finally {
    client?.close();
    await Promise.all([out.close(), missingFile.close()]);
  }
  const csvRows = options.csvPath === null ? null : await writeTweetsCsv(outPath, resolve(options.csvPath));
  return {
    total,
    requested: counts.requested,
    found: counts.found,
    missing: counts.missing,
    missingByKind: { ...counts.missing_by_kind },
    requests: counts.requests,
    minimumRequests: Math.ceil(counts.requested / MAX_LOOKUP_IDS),
    retries: counts.retries,
    rateLimitWaits: counts.rate_limit_waits,
    rateLimitWaitMs: counts.rate_limit_wait_ms,
    resumedAt: start.idsDone,
    outPath,
    missingPath,
    checkpointPath,
    csvPath: options.csvPath === null ? null : resolve(options.csvPath),
    csvRows,
  };
}

