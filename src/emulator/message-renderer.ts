import type { ApiObject, MessageTemplate } from './message-templates.js';
import type { SampledTweet } from './sample-timeline.js';
import type { FieldSelection } from './stream-query.js';
import { TEXT_VARIANTS } from './text-variants.js';

/** Holes in a pre-rendered message, filled per tweet. */
const SLOT = { id: 0, createdAt: 1, conversationId: 2, authorId: 3, author: 4 } as const;
type Slot = (typeof SLOT)[keyof typeof SLOT];

/** JSON.stringify writes the NUL of a marker as `\u0000`, which no template text contains. */
const marker = (slot: Slot): string => `\u0000${slot}\u0000`;
const MARKER_PATTERN = /"\\u0000(\d)\\u0000"/;
/** Upper bound of a quoted ID or ISO time written into a slot. */
const QUOTED_VALUE_MAX = 28;

interface Skeleton {
  pieces: Uint8Array[];
  slots: Slot[];
  /** Bytes of the message without its slot values. */
  fixedBytes: number;
  stringSlots: number;
  authorSlots: number;
}

const ALWAYS_TWEET_FIELDS = ['id', 'text', 'edit_history_tweet_ids'];
const ALWAYS_USER_FIELDS = ['id', 'name', 'username'];
const OTHER_USER_EXPANSIONS = ['referenced_tweets.id.author_id', 'entities.mentions.username', 'in_reply_to_user_id'];

function pick(object: ApiObject, keep: ReadonlySet<string>, always: readonly string[]): ApiObject {
  return Object.fromEntries(Object.entries(object).filter(([key]) => keep.has(key) || always.includes(key)));
}

function writeAscii(target: Uint8Array, offset: number, text: string): number {
  for (let i = 0; i < text.length; i++) target[offset + i] = text.charCodeAt(i);
  return offset + text.length;
}

function writeQuoted(target: Uint8Array, offset: number, text: string): number {
  target[offset] = 0x22;
  const end = writeAscii(target, offset + 1, text);
  target[end] = 0x22;
  return end + 1;
}

/** The pool of authors: every template's author, once. */
export function templateAuthors(templates: readonly MessageTemplate[]): ApiObject[] {
  const byId = new Map<string, ApiObject>();
  for (const template of templates) {
    const author = template.includes.users[0];
    if (author && !byId.has(template.data.author_id)) byId.set(template.data.author_id, author);
  }
  return [...byId.values()];
}

/**
 * Renders sampled tweets as stream message lines (`JSON\r\n`) for one field selection. Each (template, text
 * variant) pair is stringified once into byte pieces with holes for the ID, times and author; a message is then
 * a few copies, which is what lets one connection carry well over 100,000 messages per second.
 */
export class MessageRenderer {
  readonly #templates: readonly MessageTemplate[];
  readonly #fields: FieldSelection;
  readonly #authorIds: string[];
  readonly #authorJson: Uint8Array[];
  readonly #maxAuthorBytes: number;
  /** Per template: the pool index of its own author, used when the drawn author already appears in it. */
  readonly #ownAuthor: number[];
  readonly #otherUsers: Set<string>[];
  readonly #skeletons = new Map<number, Skeleton>();
  #isoSecond = Number.NaN;
  #iso = '';

  constructor(templates: readonly MessageTemplate[], fields: FieldSelection) {
    this.#templates = templates;
    this.#fields = fields;
    const authors = templateAuthors(templates);
    this.#authorIds = authors.map((user) => String(user.id));
    this.#authorJson = authors.map((user) =>
      Buffer.from(JSON.stringify(pick(user, fields.userFields, ALWAYS_USER_FIELDS))),
    );
    this.#maxAuthorBytes = Math.max(...this.#authorJson.map((json) => json.length));
    this.#ownAuthor = templates.map((t) => this.#authorIds.indexOf(t.data.author_id));
    this.#otherUsers = templates.map((t) => new Set(t.includes.users.slice(1).map((user) => String(user.id))));
  }

  /** Number of authors tweets are drawn from. */
  get authorCount(): number {
    return this.#authorIds.length;
  }

  /** Upper bound of the bytes `render()` writes for `tweet`. */
  maxBytes(tweet: SampledTweet): number {
    const skeleton = this.#skeleton(tweet);
    return skeleton.fixedBytes + skeleton.stringSlots * QUOTED_VALUE_MAX + skeleton.authorSlots * this.#maxAuthorBytes;
  }

  /** Writes the message line of `tweet` into `target` at `offset`; returns the offset after its `\r\n`. */
  render(tweet: SampledTweet, target: Uint8Array, offset: number): number {
    const skeleton = this.#skeleton(tweet);
    let author = tweet.author % this.#authorIds.length;
    const ownAuthor = this.#ownAuthor[tweet.template] ?? author;
    if (this.#otherUsers[tweet.template]?.has(this.#authorIds[author] ?? '')) author = ownAuthor;
    const { pieces, slots } = skeleton;
    let at = offset;
    for (let i = 0; i < slots.length; i++) {
      const piece = pieces[i]!;
      target.set(piece, at);
      at += piece.length;
      switch (slots[i]) {
        case SLOT.id:
        case SLOT.conversationId:
          at = writeQuoted(target, at, tweet.id);
          break;
        case SLOT.createdAt:
          at = writeQuoted(target, at, this.#isoSecondOf(tweet.createdMs));
          break;
        case SLOT.authorId:
          at = writeQuoted(target, at, this.#authorIds[author]!);
          break;
        default: {
          const json = this.#authorJson[author]!;
          target.set(json, at);
          at += json.length;
        }
      }
    }
    const last = pieces[slots.length]!;
    target.set(last, at);
    return at + last.length;
  }

  /** The message line of `tweet` as its own buffer. */
  renderLine(tweet: SampledTweet): Buffer {
    const buffer = Buffer.allocUnsafe(this.maxBytes(tweet));
    return buffer.subarray(0, this.render(tweet, buffer, 0));
  }

  /** The API gives created_at to the second, with `.000Z`; the ID keeps the milliseconds. */
  #isoSecondOf(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second !== this.#isoSecond) {
      this.#isoSecond = second;
      this.#iso = new Date(second * 1000).toISOString();
    }
    return this.#iso;
  }

  #skeleton(tweet: SampledTweet): Skeleton {
    const key = tweet.template * TEXT_VARIANTS.length + tweet.variant;
    let skeleton = this.#skeletons.get(key);
    if (!skeleton) {
      skeleton = this.#buildSkeleton(tweet.template, tweet.variant);
      this.#skeletons.set(key, skeleton);
    }
    return skeleton;
  }

  #buildSkeleton(templateIndex: number, variantIndex: number): Skeleton {
    const template = this.#templates[templateIndex];
    const variant = TEXT_VARIANTS[variantIndex];
    if (!template || !variant) throw new RangeError(`No template ${templateIndex} or text variant ${variantIndex}`);
    const { tweetFields, userFields, expansions } = this.#fields;
    const source = template.data;
    const data: ApiObject = {
      ...source,
      id: marker(SLOT.id),
      text: variant.rewrite(String(source.text ?? '')),
      author_id: marker(SLOT.authorId),
      edit_history_tweet_ids: [marker(SLOT.id)],
    };
    if ('created_at' in source) data.created_at = marker(SLOT.createdAt);
    // A reply keeps its thread's conversation; any other tweet starts its own.
    if (source.conversation_id === source.id) data.conversation_id = marker(SLOT.conversationId);
    if (variant.lang && 'lang' in source) data.lang = variant.lang;
    const message: ApiObject = { data: pick(data, tweetFields, ALWAYS_TWEET_FIELDS) };
    const includes: ApiObject = {};
    if (expansions.has('author_id')) {
      const others = OTHER_USER_EXPANSIONS.some((e) => expansions.has(e)) ? template.includes.users.slice(1) : [];
      includes.users = [marker(SLOT.author), ...others.map((user) => pick(user, userFields, ALWAYS_USER_FIELDS))];
    }
    const { tweets, media, places } = template.includes;
    if (tweets && expansions.has('referenced_tweets.id')) {
      includes.tweets = tweets.map((t) =>
        pick({ edit_history_tweet_ids: [t.id], ...t }, tweetFields, ALWAYS_TWEET_FIELDS),
      );
    }
    if (media && expansions.has('attachments.media_keys')) {
      includes.media = media.map((m) => pick(m, this.#fields.mediaFields, ['media_key', 'type']));
    }
    if (places && expansions.has('geo.place_id')) {
      includes.places = places.map((p) => pick(p, this.#fields.placeFields, ['id', 'full_name']));
    }
    if (Object.keys(includes).length > 0) message.includes = includes;
    const errors = template.errors?.filter((e) => expansions.has(String(e.parameter)));
    if (errors && errors.length > 0) message.errors = errors;
    return toSkeleton(JSON.stringify(message) + '\r\n');
  }
}

function toSkeleton(json: string): Skeleton {
  const parts = json.split(MARKER_PATTERN);
  const pieces: Uint8Array[] = [];
  const slots: Slot[] = [];
  parts.forEach((part, index) => {
    if (index % 2 === 0) pieces.push(Buffer.from(part));
    else slots.push(Number(part) as Slot);
  });
  return {
    pieces,
    slots,
    fixedBytes: pieces.reduce((sum, piece) => sum + piece.length, 0),
    stringSlots: slots.filter((slot) => slot !== SLOT.author).length,
    authorSlots: slots.filter((slot) => slot === SLOT.author).length,
  };
}
