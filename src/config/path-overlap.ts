import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorCode } from '../platform/fs-errors.js';

/** The folder settings that must each be a folder of their own (DESIGN 9). */
export const SEPARATE_FOLDER_KEYS = ['spool', 'staging', 'state', 'vault'] as const;
export type SeparateFolderKey = (typeof SEPARATE_FOLDER_KEYS)[number];

/** Two folders that share a path: for 'inside', the first is the one inside the second. */
export interface PathOverlap {
  /** `paths.<key>` names. */
  keys: [string, string];
  values: [string, string];
  /** The same folders with symlinks resolved (equal to `values` when none is involved). */
  realValues: [string, string];
  relation: 'equal' | 'inside';
}

/** True when `inner` is `outer` or below it, compared segment-wise (so /a/spool2 is not inside /a/spool). */
function contains(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

type Folders = Readonly<Record<SeparateFolderKey, string>>;

/**
 * Every pair of `configured` folders that are equal or nested, compared as `resolved` (absolute, symlinks
 * resolved by the caller; by default as written). Ingest quarantines what it does not know in the spool, so a
 * vault or state inside it would be moved away.
 */
export function pathOverlaps(configured: Folders, resolved: Folders = configured): PathOverlap[] {
  const overlaps: PathOverlap[] = [];
  SEPARATE_FOLDER_KEYS.forEach((first, i) => {
    for (const second of SEPARATE_FOLDER_KEYS.slice(i + 1)) {
      const [a, b] = [resolve(resolved[first]), resolve(resolved[second])];
      // Equal folders keep the settings order; nested ones name the inner folder first.
      const [inner, outer] = contains(b, a) ? [first, second] : contains(a, b) ? [second, first] : [null, null];
      if (inner === null || outer === null) continue;
      overlaps.push({
        keys: [`paths.${inner}`, `paths.${outer}`],
        values: [configured[inner], configured[outer]],
        realValues: [resolved[inner], resolved[outer]],
        relation: a === b ? 'equal' : 'inside',
      });
    }
  });
  return overlaps;
}

/** The sentence a settings error carries for one overlap: both keys, both values and the fix. */
export function describeOverlap(overlap: PathOverlap): string {
  const [, otherKey] = overlap.keys;
  const quoted = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(' and ');
  const how = overlap.relation === 'equal' ? `is the same folder as ${otherKey}` : `is inside ${otherKey}`;
  const viaLinks = overlap.realValues.some((real, i) => real !== overlap.values[i]);
  const real = viaLinks ? `, through symlinks ${quoted(overlap.realValues)}` : '';
  return (
    `${how} (${quoted(overlap.values)}${real}): give each its own folder, ` +
    'e.g. /var/lib/sampled-stream/{spool,staging,state,vault}'
  );
}

/** `path` with its longest existing prefix resolved through symlinks; the rest is kept as written. */
export async function realPathOfExisting(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch (err) {
    // Missing, or not reachable as a folder: resolve what exists above it.
    if (!['ENOENT', 'ENOTDIR', 'EACCES'].includes(errorCode(err) ?? '')) throw err;
    const parent = dirname(absolute);
    if (parent === absolute) return absolute;
    return join(await realPathOfExisting(parent), basename(absolute));
  }
}
