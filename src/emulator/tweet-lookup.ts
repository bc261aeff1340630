import type { MessageRenderer } from './message-renderer.js';
import type { SampleTimeline } from './sample-timeline.js';

/** Where the lookup finds tweets, and which ones it pretends were deleted. */
export interface LookupSource {
  /** The shared samples (1% and sample10): an ID either of them created can be looked up. */
  timelines: readonly SampleTimeline[];
  /** IDs divisible by this are reported not found (about one in N); 0 = none. */
  deletedEvery: number;
  /** A tweet exists once its delivery time has come (emulator clock). */
  nowMs: number;
}

type JsonObject = Record<string, unknown>;
/** The key that identifies an entry of each `includes` list. */
const INCLUDE_KEYS: Record<string, string> = { users: 'id', tweets: 'id', places: 'id', polls: 'id', media: 'media_key' };

/** The partial error of a requested tweet that does not exist (or is gone), as `GET /2/tweets` reports it. */
export function notFoundError(id: string): JsonObject {
  return {
    value: id,
    detail: `Could not find tweet with ids: [${id}].`,
    title: 'Not Found Error',
    resource_type: 'tweet',
    parameter: 'ids',
    resource_id: id,
    type: 'https://api.twitter.com/2/problems/resource-not-found',
  };
}

function isDeleted(id: string, deletedEvery: number): boolean {
  return deletedEvery > 0 && BigInt(id) % BigInt(deletedEvery) === 0n;
}

/** The stream message the emulator sent (or would send) for `id`, or null when it is no tweet of the sample. */
function messageOf(id: string, renderer: MessageRenderer, source: LookupSource): JsonObject | null {
  for (const timeline of source.timelines) {
    const k = timeline.eventOf(id);
    if (k === null || timeline.deliveryMs(k) > source.nowMs) continue;
    return JSON.parse(renderer.renderLine(timeline.tweet(k)).toString('utf8')) as JsonObject;
  }
  return null;
}

/**
 * The body of `GET /2/tweets` for `ids`: the same tweet (and includes) the stream sent for each ID, in request
 * order, includes merged without repeats, and a not-found error for every ID that has no tweet.
 */
export function lookupBody(ids: readonly string[], renderer: MessageRenderer, source: LookupSource): JsonObject {
  const data: unknown[] = [];
  const includes: Record<string, Map<unknown, unknown>> = {};
  const errors = new Map<string, unknown>();
  for (const id of ids) {
    const message = isDeleted(id, source.deletedEvery) ? null : messageOf(id, renderer, source);
    if (message === null) {
      errors.set(`missing:${id}`, notFoundError(id));
      continue;
    }
    data.push(message.data);
    for (const [key, list] of Object.entries((message.includes ?? {}) as Record<string, unknown[]>)) {
      const seen = (includes[key] ??= new Map());
      for (const entry of list) {
        const identity = (entry as JsonObject)[INCLUDE_KEYS[key] ?? 'id'];
        if (!seen.has(identity)) seen.set(identity, entry);
      }
    }
    for (const error of (message.errors ?? []) as unknown[]) errors.set(JSON.stringify(error), error);
  }
  const body: JsonObject = {};
  if (data.length > 0) body.data = data;
  const includeLists = Object.entries(includes).map(([key, seen]) => [key, [...seen.values()]] as const);
  if (includeLists.length > 0) body.includes = Object.fromEntries(includeLists);
  if (errors.size > 0) body.errors = [...errors.values()];
  return body;
}
