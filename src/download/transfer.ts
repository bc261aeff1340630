import { createHash } from 'node:crypto';
import type { WriteStream } from 'node:fs';
import type { OsfEntity, WaterButler } from '../osf/index.js';
import { openAtomicWriter } from '../platform/atomic-write.js';
import type { Clock } from '../platform/clock.js';
import type { DownloadProgress } from './progress.js';
import { describeFailure, isTransientStatus, retryDelayMs, TRANSIENT_RETRIES } from './retry-policy.js';

/** How a transfer ended: the file is under its final name with the expected hash, or nothing was kept. */
export type TransferOutcome =
  | { ok: true; sha256: string; bytes: number }
  | { ok: false; mismatch: boolean; reason: string; bytes: number };

/** What a transfer needs. */
export interface TransferDeps {
  client: WaterButler;
  clock: Clock;
  progress: DownloadProgress;
}

type Attempt = TransferOutcome | { ok: false; transient: true; reason: string; bytes: number; retryAfterMs: number | null };

function writeChunk(stream: WriteStream, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => stream.write(chunk, (err) => (err ? reject(err) : resolve())));
}

/** One GET into a temporary file, hashed on the way; renamed to `path` only when the sha256 is `expected`. */
async function attempt(deps: TransferDeps, url: string, expected: string, path: string): Promise<Attempt> {
  const writer = await openAtomicWriter(path);
  // Write errors reach us through the write callbacks; this keeps the stream's 'error' event from crashing.
  writer.stream.on('error', () => undefined);
  const hash = createHash('sha256');
  let result;
  try {
    result = await deps.client.download(url, async (chunk) => {
      hash.update(chunk);
      await writeChunk(writer.stream, chunk);
      deps.progress.transferred(chunk.length);
    });
  } catch (err) {
    await writer.abort();
    throw err;
  }
  if (result.status !== 200) {
    await writer.abort();
    const reason = describeFailure(result.status, result.error);
    if (isTransientStatus(result.status)) return { ok: false, transient: true, reason, bytes: result.bytes, retryAfterMs: result.retryAfterMs };
    return { ok: false, mismatch: false, reason, bytes: result.bytes };
  }
  const actual = hash.digest('hex');
  if (actual !== expected) {
    await writer.abort();
    return { ok: false, mismatch: true, reason: `the downloaded bytes have sha256 ${actual}, expected ${expected}`, bytes: result.bytes };
  }
  await writer.commit();
  return { ok: true, sha256: actual, bytes: result.bytes };
}

/**
 * Downloads `entity` to `path`, keeping it only if its sha256 is `expected`; a partial or wrong download never
 * appears under `path` (it lives under a temporary name until verified). No answer, 429 and 5xx are retried
 * a few times with backoff on `clock`; a hash mismatch is returned at once for the caller to decide.
 */
export async function transferVerified(deps: TransferDeps, entity: OsfEntity, expected: string, path: string): Promise<TransferOutcome> {
  const url = entity.downloadUrl ?? deps.client.fileUrl(entity.id);
  let bytes = 0;
  for (let retry = 1; ; retry++) {
    const outcome = await attempt(deps, url, expected, path);
    bytes += outcome.bytes;
    if (outcome.ok || !('transient' in outcome)) return { ...outcome, bytes };
    if (retry > TRANSIENT_RETRIES) return { ok: false, mismatch: false, reason: `${outcome.reason} (after ${TRANSIENT_RETRIES} retries)`, bytes };
    deps.progress.retrying(outcome.bytes);
    await deps.clock.sleep(retryDelayMs(retry, outcome.retryAfterMs));
  }
}
