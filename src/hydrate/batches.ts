import type { TweetLookupBody } from '../xapi/index.js';

/** Consecutive IDs of the input sent as one request. */
export interface IdBatch {
  /** Unique IDs in input order (a repeated ID in one request is sent once). */
  ids: string[];
  /** Input IDs this batch consumes, repeats included: what the checkpoint advances by. */
  consumed: number;
}

/** Groups `ids` into batches of up to `size` unique IDs. */
export async function* batchesOf(ids: AsyncIterable<string>, size: number): AsyncGenerator<IdBatch> {
  let batch = new Set<string>();
  let consumed = 0;
  for await (const id of ids) {
    if (!batch.has(id) && batch.size === size) {
      yield { ids: [...batch], consumed };
      batch = new Set();
      consumed = 0;
    }
    batch.add(id);
    consumed += 1;
  }
  if (consumed > 0) yield { ids: [...batch], consumed };
}

/** A requested ID the API did not return, with the error's title (e.g. "Not Found Error"). */
export interface MissingId {
  id: string;
  reason: string;
}

/** Which requested IDs came back as tweets, and why the others did not. */
export interface LookupOutcome {
  found: number;
  missing: MissingId[];
}

/** When the API returns neither the tweet nor an error about it. */
export const NOT_RETURNED = 'Not returned';

/**
 * Compares a lookup answer with its request: a requested ID is found when it is in `data`, else missing with
 * the title of the `errors` entry about it. Errors about other resources (a referenced tweet) are not IDs asked for.
 */
export function lookupOutcome(requested: readonly string[], body: TweetLookupBody): LookupOutcome {
  const returned = new Set((body.data ?? []).map((tweet) => tweet.id));
  const reasons = new Map<string, string>();
  for (const error of body.errors ?? []) {
    const id = error.resource_id ?? error.value;
    if (typeof id === 'string' && !reasons.has(id)) reasons.set(id, error.title || NOT_RETURNED);
  }
  const missing = requested
    .filter((id) => !returned.has(id))
    .map((id) => ({ id, reason: reasons.get(id) ?? NOT_RETURNED }));
  return { found: requested.length - missing.length, missing };
}

/** The lines of `OUT.missing.tsv` for these IDs (tabs and newlines in a reason become spaces). */
export function missingLines(missing: readonly MissingId[]): string {
  return missing.map(({ id, reason }) => `${id}\t${reason.replace(/[\t\r\n]+/g, ' ')}\n`).join('');
}

/** The header of `OUT.missing.tsv`. */
export const MISSING_HEADER = 'id\treason\n';
