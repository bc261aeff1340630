import { z } from 'zod';
import { namesIn } from '../platform/optional-files.js';
import { readStateFile, writeStateFile, type StateFileFormat } from './state-file.js';
import { manifestPath, manifestsDir } from './staging-layout.js';
import type { HourCounts } from './hour-stats.js';

/** A published vault file of an hour. */
export interface ManifestFile {
  name: string;
  sha256: string;
  bytes: number;
}

/** Unique-ID statistics of a publication (DESIGN 6). */
export interface ManifestCounts extends HourCounts {
  late: number;
}

/**
 * `manifests/<hour>.json`: the published state of one UTC hour. Writing it is the commit point of a publication:
 * until it names a version, a re-run publishes that version again (DESIGN 3.4, kill -9 at any step).
 */
export interface HourManifest {
  format_version: 1;
  hour: string;
  label: string;
  version: number;
  first_published_at: string;
  published_at: string;
  counts: ManifestCounts;
  /** sha256 of the uncompressed IDs file: a publication with the same digest has the same ID set. */
  ids_digest: string;
  files: { ids: ManifestFile; tweets: ManifestFile; users: ManifestFile; raw?: ManifestFile };
  /** Chunks (`server/spool name`) the first publication was built from; IDs only in other chunks are late. */
  first_chunks: string[];
  /** Chunks this version was built from; any other chunk of the hour is new since. */
  chunks: string[];
  /** Set when the hour's staging was removed (retention); later arrivals go to `late/`. */
  closed_at: string | null;
}

const count = z.number().int().min(0);
const manifestFileSchema = z.object({ name: z.string(), sha256: z.string(), bytes: count });

const hourManifestSchema = z.object({
  format_version: z.literal(1),
  hour: z.string(),
  label: z.string(),
  version: z.number().int().min(1),
  first_published_at: z.string(),
  published_at: z.string(),
  counts: z.object({ serv1: count, serv2: count, total: count, only1: count, only2: count, diff: count, late: count }),
  ids_digest: z.string(),
  files: z.object({ ids: manifestFileSchema, tweets: manifestFileSchema, users: manifestFileSchema, raw: manifestFileSchema.optional() }),
  first_chunks: z.array(z.string()),
  chunks: z.array(z.string()),
  closed_at: z.string().nullable(),
}) satisfies z.ZodType<HourManifest>;

const HOUR_MANIFEST_FORMAT: StateFileFormat<HourManifest> = {
  name: 'hour manifest',
  version: 1,
  schema: hourManifestSchema,
  whenCorrupt: 'restore it from a backup, or move it away and republish the hour with hourly --hour',
};

/**
 * Reads an hour's manifest; null when the hour was never published. A corrupt manifest is an error, never read
 * as absent: it is the commit point of a publication, so guessing could publish the hour again as version 1.
 */
export async function readManifest(staging: string, hourKey: string): Promise<HourManifest | null> {
  try {
    return await readStateFile(manifestPath(staging, hourKey), HOUR_MANIFEST_FORMAT);
  } catch (err) {
    throw new Error(`Cannot read manifest of hour ${hourKey}: ${(err as Error).message}`, { cause: err });
  }
}

/** Writes an hour's manifest (temporary name, fsync, rename). */
export async function writeManifest(staging: string, manifest: HourManifest): Promise<void> {
  await writeStateFile(manifestPath(staging, manifest.hour), HOUR_MANIFEST_FORMAT, manifest);
}

/** UTC hour keys of every published hour, oldest first. */
export async function listManifestHours(staging: string): Promise<string[]> {
  return (await namesIn(manifestsDir(staging)))
    .filter((name) => !name.startsWith('.') && name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

/** Caches manifests for one run (ingest asks about the same hours again and again). */
export class ManifestCache {
  readonly #staging: string;
  readonly #cache = new Map<string, Promise<HourManifest | null>>();

  constructor(staging: string) {
    this.#staging = staging;
  }

  get(hourKey: string): Promise<HourManifest | null> {
    let entry = this.#cache.get(hourKey);
    if (entry === undefined) {
      entry = readManifest(this.#staging, hourKey);
      this.#cache.set(hourKey, entry);
    }
    return entry;
  }
}
