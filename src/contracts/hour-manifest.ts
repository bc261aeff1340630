import { writeJsonAtomic } from '../platform/atomic-write.js';
import { namesIn, readJsonIfExists } from '../platform/optional-files.js';
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

/** Reads an hour's manifest; null when the hour was never published. */
export async function readManifest(staging: string, hourKey: string): Promise<HourManifest | null> {
  try {
    return await readJsonIfExists<HourManifest>(manifestPath(staging, hourKey));
  } catch (err) {
    throw new Error(`Cannot read manifest of hour ${hourKey}: ${(err as Error).message}`, { cause: err });
  }
}

/** Writes an hour's manifest (temporary name, fsync, rename). */
export async function writeManifest(staging: string, manifest: HourManifest): Promise<void> {
  await writeJsonAtomic(manifestPath(staging, manifest.hour), manifest);
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
