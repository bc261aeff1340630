/** A parsed spool line (the API message + __meta), DESIGN 3.1. */
export interface StreamMessage {
  data?: Record<string, unknown>;
  includes?: Record<string, unknown>;
  errors?: unknown[];
  __meta?: { retrieved_at?: string; server?: string; partition?: number };
  [key: string]: unknown;
}

/** A JSON object member, or undefined when `value` is not a plain object. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** One CSV cell from an API value, DESIGN 3.3: strings verbatim, integers as integers, booleans true/false, missing empty. */
export function cell(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      // String() never adds '.0', so a count parsed from `12` stays `12`.
      return Number.isFinite(value) ? String(value) : '';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      return value === null ? '' : JSON.stringify(value);
    default:
      return '';
  }
}

/** The objects of `includes[key]` (an empty list when absent); `tweets` also reads the `posts` alias (reference A.4). */
export function includedObjects(message: StreamMessage, key: string): readonly unknown[] {
  const includes = asRecord(message.includes);
  if (includes === undefined) return [];
  const list = includes[key] ?? (key === 'tweets' ? includes.posts : undefined);
  return Array.isArray(list) ? list : [];
}

/** The entry of `includes[key]` whose `field` equals `value`, if any. */
export function includedById(
  message: StreamMessage,
  key: string,
  value: unknown,
  field = 'id',
): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  for (const entry of includedObjects(message, key)) {
    const object = asRecord(entry);
    if (object !== undefined && object[field] === value) return object;
  }
  return undefined;
}

/** The tweet's author from `includes.users` (the entry whose id equals `data.author_id`). */
export function authorOf(message: StreamMessage): Record<string, unknown> | undefined {
  return includedById(message, 'users', message.data?.author_id);
}

/** Append the ten `author.*` cells shared by the tweets and users CSVs (empty when the author is absent). */
export function pushAuthorCells(row: string[], author: Record<string, unknown> | undefined): string[] {
  if (author === undefined) {
    row.push('', '', '', '', '', '', '', '', '', '');
    return row;
  }
  const metrics = asRecord(author.public_metrics);
  row.push(
    cell(author.created_at),
    cell(author.location),
    cell(author.name),
    cell(author.username),
    cell(author.verified),
    cell(author.protected),
    cell(metrics?.followers_count),
    cell(metrics?.following_count),
    cell(metrics?.tweet_count),
    cell(metrics?.listed_count),
  );
  return row;
}
