import { type CsvSchema } from './columns.js';
import { asRecord, authorOf, cell, includedById, pushAuthorCells, type StreamMessage } from './flatten.js';

/** The cells of one tweets CSV row in `tweetColumns(schema)` order, DESIGN 3.3. */
export function tweetRow(message: StreamMessage, schema: CsvSchema): string[] {
  const data = message.data ?? {};
  const references = Array.isArray(data.referenced_tweets) ? data.referenced_tweets : [];
  const first = asRecord(references[0]);
  const row = [
    cell(data.id),
    cell(data.conversation_id),
    cell(data.author_id),
    cell(data.created_at),
    cell(message.__meta?.retrieved_at),
    cell(data.source),
    cell(data.lang),
    tweetText(data.text),
    first === undefined ? 'original' : cell(first.type),
    cell(first?.id),
  ];
  pushAuthorCells(row, authorOf(message));
  if (schema === 'extended') pushExtendedCells(row, message, data, references, first);
  return row;
}

/** The text cell: each '\n' becomes one space, as in the original; a lone '\r' stays (the CSV quotes it). */
function tweetText(text: unknown): string {
  if (typeof text !== 'string') return cell(text);
  // Most texts have no newline; the check is much cheaper than replaceAll.
  return text.includes('\n') ? text.replaceAll('\n', ' ') : text;
}

function pushExtendedCells(
  row: string[],
  message: StreamMessage,
  data: Record<string, unknown>,
  references: readonly unknown[],
  first: Record<string, unknown> | undefined,
): void {
  const entities = asRecord(data.entities);
  const metrics = asRecord(data.public_metrics);
  const placeId = asRecord(data.geo)?.place_id;
  row.push(
    joinMembers(references, 'type', ';', 'id'),
    cell(includedById(message, 'tweets', first?.id)?.author_id),
    cell(data.in_reply_to_user_id),
    joinMembers(entities?.hashtags, 'tag', ';'),
    joinMembers(entities?.mentions, 'username', ';'),
    joinMembers(entities?.urls, 'expanded_url', ' '),
    joinMembers(asRecord(data.attachments)?.media_keys, undefined, ';'),
    cell(metrics?.retweet_count),
    cell(metrics?.reply_count),
    cell(metrics?.like_count),
    cell(metrics?.quote_count),
    cell(metrics?.impression_count),
    cell(metrics?.bookmark_count),
    cell(placeId),
    cell(includedById(message, 'places', placeId)?.full_name),
    cell(data.possibly_sensitive),
    cell(data.reply_settings),
    joinMembers(data.edit_history_tweet_ids, undefined, ';'),
  );
}

/**
 * The entries of a list joined by `separator`: each entry's `key` member (the entry itself when no key),
 * with `:<second member>` appended when `second` is given; non-matching entries are skipped.
 */
function joinMembers(list: unknown, key: string | undefined, separator: string, second?: string): string {
  if (!Array.isArray(list)) return '';
  let joined = '';
  let count = 0;
  for (const entry of list) {
    let part: string;
    if (key === undefined) {
      part = cell(entry);
    } else {
      const object = asRecord(entry);
      if (object === undefined) continue;
      part = second === undefined ? cell(object[key]) : `${cell(object[key])}:${cell(object[second])}`;
    }
    joined = count++ === 0 ? part : `${joined}${separator}${part}`;
  }
  return joined;
}
