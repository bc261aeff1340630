import { readJsonIfExists } from '../platform/optional-files.js';
import { writeJsonAtomic } from '../platform/atomic-write.js';
import type { IdFileInfo } from './id-files.js';

/** Running totals of a hydrate job, kept across restarts. */
export interface HydrateCounts {
  requested: number;
  found: number;
  missing: number;
  missing_by_kind: Record<string, number>;
  /** HTTP requests sent, failed ones included. */
  requests: number;
  retries: number;
  rate_limit_waits: number;
  rate_limit_wait_ms: number;
}

/**
 * `OUT.checkpoint.json`: how far a job got. Written (atomically) only after the lines it covers are fsynced, so
 * a restart truncates OUT and OUT.missing.tsv to these lengths and goes on from `ids_done`.
 */
export interface HydrateCheckpoint {
  format_version: 1;
  inputs: IdFileInfo[];
  /** The field/expansion query of the job; a restart must ask for the same. */
  query: Record<string, string>;
  /** Input IDs finished (repeats included), counted from the first file's first line. */
  ids_done: number;
  out_bytes: number;
  missing_bytes: number;
  counts: HydrateCounts;
  updated_at: string;
}

/** A checkpoint that does not belong to this command line. */
export class CheckpointMismatchError extends Error {
  override name = 'CheckpointMismatchError';
}

export function emptyCounts(): HydrateCounts {
  return { requested: 0, found: 0, missing: 0, missing_by_kind: {}, requests: 0, retries: 0, rate_limit_waits: 0, rate_limit_wait_ms: 0 };
}

/** Where a job starts: a fresh one, or the point its checkpoint recorded. */
export interface ResumePoint {
  idsDone: number;
  outBytes: number;
  missingBytes: number;
  counts: HydrateCounts;
}

function sameInputs(a: readonly IdFileInfo[], b: readonly IdFileInfo[]): boolean {
  return a.length === b.length && a.every((info, i) => info.path === b[i]?.path && info.ids === b[i]?.ids);
}

function sameQuery(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a).sort();
  return keys.join() === Object.keys(b).sort().join() && keys.every((key) => a[key] === b[key]);
}

/**
 * Decides where to start (pure): from the checkpoint when it is this job's (same files, same ID counts, same
 * fields), from zero when there is none and OUT is empty. Anything else would mix two jobs or overwrite lines:
 * CheckpointMismatchError, naming the fix.
 */
export function resumePoint(
  checkpoint: HydrateCheckpoint | null,
  job: { inputs: readonly IdFileInfo[]; query: Record<string, string>; outPath: string; outBytes: number },
): ResumePoint {
  if (checkpoint === null) {
    if (job.outBytes > 0) {
      throw new CheckpointMismatchError(
        `Cannot write ${job.outPath}: it already holds ${job.outBytes} bytes and has no checkpoint; choose another --out or remove it`,
      );
    }
    return { idsDone: 0, outBytes: 0, missingBytes: 0, counts: emptyCounts() };
  }
  if (!sameInputs(checkpoint.inputs, job.inputs) || !sameQuery(checkpoint.query, job.query)) {
    throw new CheckpointMismatchError(
      `Cannot resume ${job.outPath}: its checkpoint was made for other ID files or fields ` +
        `(${checkpoint.inputs.map((i) => i.path).join(', ')}); run that command again, or choose another --out`,
    );
  }
  if (job.outBytes < checkpoint.out_bytes) {
    throw new CheckpointMismatchError(
      `Cannot resume ${job.outPath}: it is shorter (${job.outBytes} bytes) than its checkpoint says (${checkpoint.out_bytes}); ` +
        'it was changed by hand: choose another --out',
    );
  }
  return {
    idsDone: checkpoint.ids_done,
    outBytes: checkpoint.out_bytes,
    missingBytes: checkpoint.missing_bytes,
    counts: structuredClone(checkpoint.counts),
  };
}

function isCheckpoint(value: unknown): value is HydrateCheckpoint {
  const c = value as Partial<HydrateCheckpoint> | null;
  return (
    c !== null &&
    typeof c === 'object' &&
    c.format_version === 1 &&
    Array.isArray(c.inputs) &&
    typeof c.query === 'object' &&
    Number.isInteger(c.ids_done) &&
    Number.isInteger(c.out_bytes) &&
    Number.isInteger(c.missing_bytes) &&
    typeof c.counts === 'object'
  );
}

/** Reads the checkpoint, or null when there is none; a damaged one is a CheckpointMismatchError. */
export async function readCheckpoint(path: string): Promise<HydrateCheckpoint | null> {
  let value: unknown;
  try {
    value = await readJsonIfExists<unknown>(path);
  } catch (err) {
    throw new CheckpointMismatchError(`Cannot resume: ${path} is not valid JSON (${(err as Error).message}); remove it and OUT to start over`, { cause: err });
  }
  if (value === null) return null;
  if (!isCheckpoint(value)) throw new CheckpointMismatchError(`Cannot resume: ${path} is not a hydrate checkpoint; remove it and OUT to start over`);
  return value;
}

export function writeCheckpoint(path: string, checkpoint: HydrateCheckpoint): Promise<void> {
  return writeJsonAtomic(path, checkpoint);
}
