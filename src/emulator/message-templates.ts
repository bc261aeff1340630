import { readFile } from 'node:fs/promises';

/** A JSON object of the API (a post, user, media or place). */
export type ApiObject = Record<string, unknown>;

/** A real single-tweet stream message: the tweet, the objects it references, and partial errors. */
export interface MessageTemplate {
  data: ApiObject & { id: string; author_id: string; conversation_id?: string };
  includes: { users: ApiObject[]; tweets?: ApiObject[]; media?: ApiObject[]; places?: ApiObject[] };
  errors?: ApiObject[];
}

/** The committed templates, found relative to this module so it works from both src/ and dist/. */
export const DEFAULT_TEMPLATES_URL = new URL('../../data/x-api-v2-templates.jsonl', import.meta.url);

function isObject(value: unknown): value is ApiObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkTemplate(value: unknown, where: string): MessageTemplate {
  if (!isObject(value) || !isObject(value.data) || !isObject(value.includes) || !Array.isArray(value.includes.users)) {
    throw new TypeError(
      `Cannot load message template ${where}: expected {"data": {...}, "includes": {"users": [...]}}`,
    );
  }
  const { id, author_id: authorId } = value.data;
  if (typeof id !== 'string' || typeof authorId !== 'string') {
    throw new TypeError(`Cannot load message template ${where}: data.id and data.author_id must be strings`);
  }
  const users = value.includes.users as unknown[];
  if (!isObject(users[0]) || users[0].id !== authorId) {
    throw new TypeError(`Cannot load message template ${where}: includes.users must start with the author ${authorId}`);
  }
  return value as unknown as MessageTemplate;
}

/** Reads the template file: one stream message per line, each tweet's author first in `includes.users`. */
export async function loadMessageTemplates(url: URL = DEFAULT_TEMPLATES_URL): Promise<MessageTemplate[]> {
  const text = await readFile(url, 'utf8');
  const templates = text
    .split('\n')
    .map((line, index) => ({ line, where: `${url.pathname}:${index + 1}` }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, where }) => checkTemplate(JSON.parse(line), where));
  if (templates.length === 0) throw new TypeError(`Cannot load message templates: ${url.pathname} has none`);
  return templates;
}
