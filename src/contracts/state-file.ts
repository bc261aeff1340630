import type { z } from 'zod';
import { writeJsonAtomic } from '../platform/atomic-write.js';
import { isNotFound } from '../platform/fs-errors.js';
import { moveFile } from '../platform/move-file.js';
import { readTextIfExists } from '../platform/optional-files.js';

/**
 * Versioned JSON state files passed between processes and servers (DESIGN 3.2). Every file carries
 * `format_version`; one written before the field existed reads as version 1; one of a newer version is refused
 * (never guessed at); a truncated or garbage one is moved aside and treated as absent, so no command crash-loops.
 */

/** One state file format: its current version and the schema of a document of that version. */
export interface StateFileFormat<T> {
  /** The file's name in messages, e.g. `sync-state.json`. */
  name: string;
  version: number;
  /** Validates a document of `version` (format_version included). */
  schema: z.ZodType<T>;
  /** What to do about a corrupt file, for readers that do not repair it. */
  whenCorrupt?: string;
  /** Turns a document of an older version into one of `version`; without it, older documents only gain the field. */
  migrate?: (doc: Record<string, unknown>, fromVersion: number) => Record<string, unknown>;
}

/** What decoding a state file's text gave. */
export type DecodedStateFile<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'newer'; version: number }
  | { kind: 'corrupt'; reason: string };

function describeIssue(issue: z.core.$ZodIssue): string {
  return issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`;
}

/** Parses and validates a state file's text (pure). */
export function decodeStateFile<T>(text: string, format: StateFileFormat<T>): DecodedStateFile<T> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { kind: 'corrupt', reason: `not JSON (${(err as Error).message})` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { kind: 'corrupt', reason: 'not a JSON object' };
  const fields = doc as Record<string, unknown>;
  const version = fields.format_version ?? 1;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { kind: 'corrupt', reason: `format_version ${JSON.stringify(version)} is not a positive integer` };
  }
  if (version > format.version) return { kind: 'newer', version };
  const current = version < format.version && format.migrate ? format.migrate(fields, version) : fields;
  const parsed = format.schema.safeParse({ ...current, format_version: format.version });
  if (!parsed.success) return { kind: 'corrupt', reason: parsed.error.issues.map(describeIssue).join('; ') };
  return { kind: 'ok', value: parsed.data };
}

/** A state file written by a newer sampled-stream: refused, since guessing could lose data. */
export class NewerStateFileError extends Error {
  constructor(path: string, name: string, found: number, known: number) {
    super(
      `Cannot read ${path}: ${name} has format_version ${found}, this sampled-stream knows up to ${known}; ` +
        'upgrade sampled-stream on this server to the version that wrote it',
    );
    this.name = 'NewerStateFileError';
  }
}

/** A truncated or garbage state file, seen by a reader that does not repair (`status`, `watch` probes). */
export class CorruptStateFileError extends Error {
  constructor(path: string, reason: string, fix: string) {
    super(`Cannot read ${path}: ${reason}; ${fix}`);
    this.name = 'CorruptStateFileError';
  }
}

/** A corrupt state file that was moved aside. */
export interface SetAsideStateFile {
  path: string;
  /** Where the bytes went: `<path>.corrupt-<time>`. */
  movedTo: string;
  reason: string;
}

/** How a process that owns a state file repairs it: move the bad one aside, then report it. */
export interface StateFileRepair {
  nowMs: number;
  /** Called after the move; alerts and logs. */
  onSetAside(file: SetAsideStateFile): Promise<void>;
}

/** `2026-11-22T10-05-09Z`: a file-name-safe UTC time. */
function fileTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replaceAll(':', '-') + 'Z';
}

/** Where a corrupt state file is moved: next to it, so whoever looks at the folder sees it. */
export function setAsidePath(path: string, nowMs: number): string {
  return `${path}.corrupt-${fileTime(nowMs)}`;
}

/**
 * Reads a versioned state file; null when it does not exist. A newer version throws NewerStateFileError. A
 * corrupt file is moved aside and reads as absent when `repair` is given, else throws CorruptStateFileError.
 */
export async function readStateFile<T>(path: string, format: StateFileFormat<T>, repair?: StateFileRepair): Promise<T | null> {
  const text = await readTextIfExists(path);
  if (text === null) return null;
  const decoded = decodeStateFile(text, format);
  if (decoded.kind === 'ok') return decoded.value;
  if (decoded.kind === 'newer') throw new NewerStateFileError(path, format.name, decoded.version, format.version);
  if (repair === undefined) throw new CorruptStateFileError(path, decoded.reason, format.whenCorrupt ?? 'the process that writes it sets it aside on its next run');
  let movedTo: string;
  try {
    movedTo = await moveFile(path, setAsidePath(path, repair.nowMs));
  } catch (err) {
    // Another reader moved it first: it is absent now either way.
    if (isNotFound(err)) return null;
    throw err;
  }
  await repair.onSetAside({ path, movedTo, reason: decoded.reason });
  return null;
}

/** Writes a state file atomically, stamped with its format's current version. */
export async function writeStateFile<T extends object>(path: string, format: StateFileFormat<T>, value: T): Promise<void> {
  // Spread between two stamps: the field stays first in the file and always says the current version.
  await writeJsonAtomic(path, Object.assign({ format_version: format.version }, value, { format_version: format.version }));
}
