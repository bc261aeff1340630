import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TWEET_COLUMNS_ORIGINAL, tweetColumns, USER_COLUMNS } from './columns.js';

describe('columns', () => {
  it('TWEET_COLUMNS_ORIGINAL is the original 20, in order', () => {
    assert.equal(
      TWEET_COLUMNS_ORIGINAL.join(','),
      'id,conversation_id,author_id,created_at,retrieved_at,source,lang,text,reference_type,referenced_tweet_id,' +
        'author.created_at,author.location,author.name,author.username,author.verified,author.protected,' +
        'author.public_metrics.followers_count,author.public_metrics.following_count,' +
        'author.public_metrics.tweet_count,author.public_metrics.listed_count',
    );
  });

  it('tweetColumns() keeps the 20 first in the extended schema and adds unique names', () => {
    const extended = tweetColumns('extended');
    assert.deepEqual(tweetColumns('original'), TWEET_COLUMNS_ORIGINAL);
    assert.deepEqual(extended.slice(0, 20), TWEET_COLUMNS_ORIGINAL);
    assert.ok(extended.length > 20);
    assert.equal(new Set(extended).size, extended.length);
  });

  it('USER_COLUMNS is the 12 of the users CSV', () => {
    assert.deepEqual(USER_COLUMNS, ['author_id', 'lang', ...TWEET_COLUMNS_ORIGINAL.slice(10)]);
  });
});
