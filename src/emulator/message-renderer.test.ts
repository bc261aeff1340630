import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { MessageRenderer, templateAuthors } from './message-renderer.js';
import { loadMessageTemplates, type MessageTemplate } from './message-templates.js';
import type { SampledTweet } from './sample-timeline.js';
import { snowflakeId } from './snowflake.js';
import { parseStreamQuery, type FieldSelection } from './stream-query.js';
import { TEXT_VARIANTS } from './text-variants.js';

function selection(query: string): FieldSelection {
  const result = parseStreamQuery(new URLSearchParams(query), 'sample');
  assert.ok(result.ok);
  return result.query.fields;
}

const DEFAULT_QUERY =
  'tweet.fields=author_id,conversation_id,created_at,lang,source,referenced_tweets,text' +
  '&user.fields=created_at,location,name,protected,public_metrics,username,verified&expansions=author_id';
const CREATED_MS = Date.parse('2026-11-22T06:59:59.987Z');

function tweet(template: number, variant: number, author: number, workerSequence = 7): SampledTweet {
  return { id: snowflakeId(CREATED_MS, workerSequence), createdMs: CREATED_MS, template, variant, author };
}

function parse(line: Buffer): Record<string, any> {
  assert.ok(line.subarray(-2).equals(Buffer.from('\r\n')), 'a message ends with \\r\\n');
  assert.equal(line.indexOf('\r\n'), line.length - 2, 'no \\r\\n inside a message');
  return JSON.parse(line.toString('utf8'));
}

describe('MessageRenderer', () => {
  let templates: MessageTemplate[];
  before(async () => {
    templates = await loadMessageTemplates();
  });

  it('renders every template and text variant as one JSON line with the tweet, its author and the new ID', () => {
    const renderer = new MessageRenderer(templates, selection(DEFAULT_QUERY));
    for (let t = 0; t < templates.length; t++) {
      for (let v = 0; v < TEXT_VARIANTS.length; v++) {
        const sampled = tweet(t, v, (t * 7 + v) % renderer.authorCount);
        const line = renderer.renderLine(sampled);
        assert.ok(line.length <= renderer.maxBytes(sampled));
        const message = parse(line);
        assert.equal(message.data.id, sampled.id);
        assert.deepEqual(message.data.edit_history_tweet_ids, [sampled.id]);
        assert.equal(message.data.created_at, '2026-11-22T06:59:59.000Z');
        assert.equal(typeof message.data.author_id, 'string');
        assert.ok(message.includes.users.some((user: { id: string }) => user.id === message.data.author_id));
        assert.equal(message.includes.users[0].id, message.data.author_id);
        for (const key of Object.keys(message.data)) {
          assert.ok(['id', 'text', 'edit_history_tweet_ids', ...selection(DEFAULT_QUERY).tweetFields].includes(key));
        }
      }
    }
  });

  it('gives a tweet its own conversation unless it is a reply', () => {
    const renderer = new MessageRenderer(templates, selection(DEFAULT_QUERY));
    const reply = templates.findIndex((t) => t.data.conversation_id !== t.data.id);
    const original = templates.findIndex((t) => t.data.conversation_id === t.data.id);
    assert.equal(parse(renderer.renderLine(tweet(original, 0, 0))).data.conversation_id, tweet(0, 0, 0).id);
    const replyMessage = parse(renderer.renderLine(tweet(reply, 0, 0)));
    assert.equal(replyMessage.data.conversation_id, templates[reply]!.data.conversation_id);
  });

  const variants: { name: string; text: (original: string) => boolean }[] = [
    { name: 'na', text: (text) => text === 'NA' },
    { name: 'null', text: (text) => text === 'null' },
    { name: 'lone-cr', text: (text) => /\r[^\n]/.test(text) },
    { name: 'newlines', text: (text) => text.includes('\n') },
    { name: 'quotes-commas', text: (text) => text.includes('"') && text.includes(',') },
    { name: 'emoji', text: (text) => text.includes('😀') },
    { name: 'japanese', text: (text) => text.includes('東京') },
    { name: 'arabic', text: (text) => text.includes('مرحبا') },
  ];
  for (const { name, text } of variants) {
    it(`renders the "${name}" text variant intact`, () => {
      const renderer = new MessageRenderer(templates, selection(DEFAULT_QUERY));
      const variant = TEXT_VARIANTS.findIndex((v) => v.name === name);
      assert.ok(text(parse(renderer.renderLine(tweet(3, variant, 0))).data.text));
    });
  }

  it('omits includes.users without the author_id expansion and keeps only the default fields without tweet.fields', () => {
    const renderer = new MessageRenderer(templates, selection(''));
    const message = parse(renderer.renderLine(tweet(0, 0, 0)));
    assert.equal(message.includes, undefined);
    assert.deepEqual(Object.keys(message.data).sort(), ['edit_history_tweet_ids', 'id', 'text']);
  });

  it('adds referenced tweets, media, places and partial errors only when their expansions are asked for', () => {
    const everything =
      'expansions=author_id,referenced_tweets.id,attachments.media_keys,geo.place_id,entities.mentions.username' +
      '&tweet.fields=geo,attachments,entities&media.fields=url&place.fields=country';
    const full = new MessageRenderer(templates, selection(everything));
    const plain = new MessageRenderer(templates, selection(DEFAULT_QUERY));
    const withKey = (key: 'tweets' | 'media' | 'places') => templates.findIndex((t) => t.includes[key] !== undefined);
    for (const key of ['tweets', 'media', 'places'] as const) {
      assert.ok(parse(full.renderLine(tweet(withKey(key), 0, 0))).includes[key].length > 0, key);
      assert.equal(parse(plain.renderLine(tweet(withKey(key), 0, 0))).includes[key], undefined, key);
    }
    const withErrors = templates.findIndex((t) => t.errors !== undefined);
    assert.equal(parse(full.renderLine(tweet(withErrors, 0, 0))).errors[0].title, 'Forbidden');
    assert.equal(parse(plain.renderLine(tweet(withErrors, 0, 0))).errors, undefined);
  });

  it('draws the author from the template authors', () => {
    const renderer = new MessageRenderer(templates, selection(DEFAULT_QUERY));
    const authorIds = new Set<string>();
    for (let a = 0; a < renderer.authorCount; a++) authorIds.add(parse(renderer.renderLine(tweet(0, 0, a))).data.author_id);
    assert.equal(authorIds.size, templateAuthors(templates).length);
  });

  it('keeps the template author when the drawn author is already a user of the message', () => {
    const user = (id: string) => ({ id, name: `n${id}`, username: `u${id}` });
    const own: MessageTemplate[] = [
      { data: { id: '10', author_id: '1', conversation_id: '10', text: 'hi @u2' }, includes: { users: [user('1'), user('2')] } },
      { data: { id: '11', author_id: '2', conversation_id: '11', text: 'yo' }, includes: { users: [user('2')] } },
    ];
    const renderer = new MessageRenderer(own, selection(`${DEFAULT_QUERY},entities.mentions.username`));
    const drawnSecond = parse(renderer.renderLine(tweet(0, 0, 1)));
    assert.equal(drawnSecond.data.author_id, '1');
    assert.deepEqual(drawnSecond.includes.users.map((u: { id: string }) => u.id), ['1', '2']);
    assert.equal(parse(renderer.renderLine(tweet(1, 0, 0))).data.author_id, '1');
  });

  it('render() appends messages one after another into a shared buffer', () => {
    const renderer = new MessageRenderer(templates, selection(DEFAULT_QUERY));
    const buffer = Buffer.alloc(64 * 1024);
    let used = 0;
    for (let i = 0; i < 20; i++) used = renderer.render(tweet(i, i % TEXT_VARIANTS.length, i, i), buffer, used);
    const lines = buffer.subarray(0, used).toString('utf8').split('\r\n');
    assert.equal(lines.pop(), '');
    const expected = Array.from({ length: 20 }, (_, i) => tweet(0, 0, 0, i).id);
    assert.deepEqual(lines.map((line) => JSON.parse(line).data.id), expected);
  });
});
