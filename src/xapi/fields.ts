import type { Settings } from '../config/index.js';

/** The field and expansion lists of the settings that shape every X request (stream and lookup alike). */
export type FieldSettings = Pick<
  Settings['x_api'],
  'tweet_fields' | 'user_fields' | 'expansions' | 'media_fields' | 'place_fields' | 'poll_fields'
>;

/**
 * The query parameters for `fields` (DESIGN 4): each list comma-joined, empty lists left out. The stream and
 * `GET /2/tweets` take the same ones, so a hydrated tweet flattens into the same CSV columns as a streamed one.
 */
export function fieldsQuery(fields: FieldSettings): Record<string, string> {
  const lists: Array<[string, readonly string[]]> = [
    ['tweet.fields', fields.tweet_fields],
    ['user.fields', fields.user_fields],
    ['expansions', fields.expansions],
    ['media.fields', fields.media_fields],
    ['place.fields', fields.place_fields],
    ['poll.fields', fields.poll_fields],
  ];
  return Object.fromEntries(lists.filter(([, values]) => values.length > 0).map(([name, values]) => [name, values.join(',')]));
}
