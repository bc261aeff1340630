import { authorOf, cell, pushAuthorCells, type StreamMessage } from './flatten.js';

/** The cells of one users CSV row in `USER_COLUMNS` order (lang is the tweet's), DESIGN 3.3. */
export function userRow(message: StreamMessage): string[] {
  const data = message.data ?? {};
  return pushAuthorCells([cell(data.author_id), cell(data.lang)], authorOf(message));
}
