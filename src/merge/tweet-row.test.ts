import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureMessages } from '../../test/helpers/fixture-messages.js';
import { TWEET_COLUMNS_ORIGINAL, tweetColumns } from './columns.js';
import { type StreamMessage } from './flatten.js';
import { tweetRow } from './tweet-row.js';

const META = { retrieved_at: '2026-11-22T06:27:01.123Z', server: 'server1' };
const kpop = fixtureMessages('search-page-kpop', META);
const noflat = fixtureMessages('search-page-noflat', META);
const column = (name: string): number => tweetColumns('extended').indexOf(name);

/** A copy of a fixture message with `data` members replaced (undefined removes one). */
function withData(message: StreamMessage, patch: Record<string, unknown>): StreamMessage {
  const data: Record<string, unknown> = { ...message.data, ...patch };
  for (const [key, value] of Object.entries(patch)) if (value === undefined) delete data[key];
  return { ...message, data };
}

function withAuthor(message: StreamMessage, patch: Record<string, unknown>): StreamMessage {
  const users = (message.includes?.users as Record<string, unknown>[]).map((u) =>
    u.id === message.data?.author_id ? { ...u, ...patch } : u,
  );
  return { ...message, includes: { ...message.includes, users } };
}

describe('tweetRow()', () => {
  it('writes the 20 original columns of a real reply with quotes in its text', () => {
    assert.deepEqual(tweetRow(noflat[25]!, 'original'), [
      '1380242388866756608', '1380211244381179904', '1356198728735084545', '2021-04-08T19:33:23.000Z',
      '2026-11-22T06:27:01.123Z', 'Twitter for Android', 'en', '@ZubyMusic He\'s "the Obama guy"', 'replied_to',
      '1380211244381179904', '2021-02-01T11:13:06.000Z', '', 'The Traditionalist Gentleman', 'TheTrad67354575',
      'false', 'false', '14', '53', '192', '0',
    ]);
  });

  it('writes original and empty for a real tweet without references, with emoji and a verified author', () => {
    const row = tweetRow(fixtureMessages('search-page-kpop')[4]!, 'original');
    assert.equal(row[4], '', 'no __meta: retrieved_at is empty');
    assert.deepEqual(row.slice(7, 10), [
      '#KPOP | TWICE participará de "The Tonight Show Starring Jimmy Fallon", por primera vez 🤩 / ✍️ @ClariPajon (@KpopFrito).  #TWICE #TWICExJimmyFallon #TheFeels  https://t.co/ZVXS1PpZRy',
      'original',
      '',
    ]);
    assert.deepEqual(row.slice(10), [
      '2009-04-23T15:40:32.000Z', 'Santa Fe, Argentina', 'Aire de Santa Fe', 'AiredeSantaFe', 'true', 'false',
      '43050', '386', '280490', '168',
    ]);
  });

  const base = kpop[4]!;
  const cases: Array<{ name: string; message: StreamMessage; index: number; expected: string }> = [
    { name: 'text NA stays NA', message: withData(base, { text: 'NA' }), index: 7, expected: 'NA' },
    { name: 'text null stays null', message: withData(base, { text: 'null' }), index: 7, expected: 'null' },
    { name: 'empty text stays empty', message: withData(base, { text: '' }), index: 7, expected: '' },
    { name: 'commas kept', message: withData(base, { text: 'a, b,c' }), index: 7, expected: 'a, b,c' },
    { name: 'each \\n becomes one space', message: withData(base, { text: 'a\n\nb\n' }), index: 7, expected: 'a  b ' },
    { name: 'a lone \\r stays', message: withData(base, { text: 'a\rb\r\nc' }), index: 7, expected: 'a\rb\r c' },
    { name: 'emoji and surrogates intact', message: withData(base, { text: '👩‍👩‍👧 ok 𝕏' }), index: 7, expected: '👩‍👩‍👧 ok 𝕏' },
    { name: 'missing text is empty', message: withData(base, { text: undefined }), index: 7, expected: '' },
    { name: 'missing lang is empty', message: withData(base, { lang: undefined }), index: 6, expected: '' },
    { name: 'null source is empty', message: withData(base, { source: null }), index: 5, expected: '' },
    {
      name: 'first reference wins',
      message: withData(base, { referenced_tweets: [{ type: 'quoted', id: '7' }, { type: 'replied_to', id: '8' }] }),
      index: 8,
      expected: 'quoted',
    },
    {
      name: 'first reference id',
      message: withData(base, { referenced_tweets: [{ type: 'quoted', id: '7' }, { type: 'replied_to', id: '8' }] }),
      index: 9,
      expected: '7',
    },
    { name: 'empty references read as original', message: withData(base, { referenced_tweets: [] }), index: 8, expected: 'original' },
    { name: 'verified true', message: withAuthor(base, { verified: true }), index: 14, expected: 'true' },
    { name: 'protected true', message: withAuthor(base, { protected: true }), index: 15, expected: 'true' },
    { name: 'location NA stays NA', message: withAuthor(base, { location: 'NA' }), index: 11, expected: 'NA' },
    {
      name: 'count parsed from 12.0 is an integer',
      message: withAuthor(base, JSON.parse('{"public_metrics":{"followers_count":12.0,"following_count":0}}')),
      index: 16,
      expected: '12',
    },
    {
      name: 'large count has no exponent',
      message: withAuthor(base, { public_metrics: { followers_count: 123456789012 } }),
      index: 16,
      expected: '123456789012',
    },
    {
      name: 'missing metric is empty',
      message: withAuthor(base, { public_metrics: { followers_count: 1 } }),
      index: 19,
      expected: '',
    },
  ];
  for (const { name, message, index, expected } of cases) {
    it(`column ${TWEET_COLUMNS_ORIGINAL[index]}: ${name}`, () => {
      assert.equal(tweetRow(message, 'original')[index], expected);
    });
  }

  it('leaves the ten author cells empty when the author is not in includes.users', () => {
    const orphan = { ...base, includes: { users: [{ id: '1', username: 'someone_else' }] } };
    for (const message of [orphan, { data: base.data }]) {
      const row = tweetRow(message, 'original');
      assert.deepEqual(row.slice(10), Array(10).fill(''));
      assert.equal(row[2], '34643836');
    }
  });

  it('tolerates malformed members without throwing', () => {
    const odd = JSON.parse('{"data":{"id":"1","referenced_tweets":"x","entities":[]},"includes":null,"__meta":null}');
    assert.deepEqual(tweetRow(odd, 'extended').slice(0, 10), ['1', '', '', '', '', '', '', '', 'original', '']);
    assert.equal(tweetRow({ data: JSON.parse('null') }, 'original')[8], 'original');
  });

  it('gives every fixture tweet a full row whose first cell is its id, for both schemas', () => {
    for (const message of [...kpop, ...noflat]) {
      for (const schema of ['original', 'extended'] as const) {
        const row = tweetRow(message, schema);
        assert.equal(row.length, tweetColumns(schema).length);
        assert.equal(row[0], message.data?.id);
        assert.ok(row.every((cellText) => typeof cellText === 'string'));
        assert.ok(!row[7]!.includes('\n'));
      }
    }
  });

  it('keeps the 20 original cells unchanged in the extended schema', () => {
    for (const message of [...kpop, ...noflat]) {
      assert.deepEqual(tweetRow(message, 'extended').slice(0, 20), tweetRow(message, 'original'));
    }
  });

  it('fills the extended columns of a real reply and a real geo-tagged tweet', () => {
    const reply = tweetRow(noflat[25]!, 'extended');
    assert.equal(reply[column('referenced_tweets')], 'replied_to:1380211244381179904');
    assert.equal(reply[column('referenced_tweet.author_id')], '57441414');
    assert.equal(reply[column('in_reply_to_user_id')], '57441414');
    assert.equal(reply[column('mentions')], 'ZubyMusic');
    assert.equal(reply[column('public_metrics.like_count')], '0');
    assert.equal(reply[column('public_metrics.impression_count')], '');
    assert.equal(reply[column('possibly_sensitive')], 'false');
    const geo = tweetRow(kpop[71]!, 'extended');
    assert.equal(geo[column('hashtags')], 'ARMY;In_the_SOOP;ColdplayXBTS;BTS_Butter;BTS;KimTaehyung;btsdisband;KPOP;kpoppredict');
    assert.equal(geo[column('urls')], 'https://twitter.com/TaehyungKarelly/status/1440716277845139456/photo/1');
    assert.equal(geo[column('media_keys')], '3_1440716274569342982');
    assert.equal(geo[column('geo.place_id')], '0023c19311cdf0fc');
    assert.equal(geo[column('geo.full_name')], 'Soledad, Colombia');
    assert.equal(geo[column('reply_settings')], 'everyone');
  });

  it('joins all references and edit history, and reads includes.posts as includes.tweets', () => {
    const message: StreamMessage = {
      data: {
        id: '30',
        referenced_tweets: [{ type: 'quoted', id: '10' }, { type: 'replied_to', id: '20' }],
        edit_history_tweet_ids: ['29', '30'],
        public_metrics: { retweet_count: 1, reply_count: 2, like_count: 3, quote_count: 4, impression_count: 5, bookmark_count: 6 },
      },
      includes: { posts: [{ id: '10', author_id: '99' }] },
    };
    const row = tweetRow(message, 'extended');
    assert.equal(row[column('referenced_tweets')], 'quoted:10;replied_to:20');
    assert.equal(row[column('referenced_tweet.author_id')], '99');
    assert.equal(row[column('edit_history_tweet_ids')], '29;30');
    assert.deepEqual(
      row.slice(column('public_metrics.retweet_count'), column('public_metrics.bookmark_count') + 1),
      ['1', '2', '3', '4', '5', '6'],
    );
  });
});
