import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureMessages } from '../../test/helpers/fixture-messages.js';
import { type StreamMessage } from './flatten.js';
import { retrievedAtMs, tweetKey } from './tweet-key.js';

describe('tweetKey()', () => {
  const created = '2026-11-22T06:59:59.999Z';
  const cases: Array<[name: string, message: StreamMessage, expected: ReturnType<typeof tweetKey>]> = [
    [
      'id, created_at and author',
      { data: { id: '1440717170493689866', created_at: created, author_id: '42' } },
      { id: '1440717170493689866', createdAtMs: Date.parse(created), authorId: '42' },
    ],
    ['no author', { data: { id: '5', created_at: created } }, { id: '5', createdAtMs: Date.parse(created), authorId: null }],
    ['empty author', { data: { id: '5', created_at: created, author_id: '' } }, { id: '5', createdAtMs: Date.parse(created), authorId: null }],
    ['no data (error-only message)', { errors: [{ title: 'x' }] }, null],
    ['no id', { data: { created_at: created } }, null],
    ['numeric id', { data: { id: 5, created_at: created } }, null],
    ['non-decimal id', { data: { id: '12a', created_at: created } }, null],
    ['id with leading zero', { data: { id: '012', created_at: created } }, null],
    ['empty id', { data: { id: '', created_at: created } }, null],
    ['no created_at', { data: { id: '5' } }, null],
    ['unreadable created_at', { data: { id: '5', created_at: 'yesterday' } }, null],
  ];
  for (const [name, message, expected] of cases) {
    it(name, () => assert.deepEqual(tweetKey(message), expected));
  }

  it('reads every real fixture tweet', () => {
    for (const message of fixtureMessages('search-page-kpop')) {
      const key = tweetKey(message);
      assert.equal(key?.id, message.data?.id);
      assert.equal(key?.createdAtMs, Date.parse(message.data?.created_at as string));
    }
  });
});

describe('retrievedAtMs()', () => {
  it('parses __meta.retrieved_at; a missing or bad one ranks last', () => {
    assert.equal(retrievedAtMs({ __meta: { retrieved_at: '2026-11-22T06:27:01.123Z' } }), Date.UTC(2026, 10, 22, 6, 27, 1, 123));
    assert.equal(retrievedAtMs({}), Number.POSITIVE_INFINITY);
    assert.equal(retrievedAtMs({ __meta: { retrieved_at: 'soon' } }), Number.POSITIVE_INFINITY);
  });
});
