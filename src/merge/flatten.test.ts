import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asRecord, authorOf, cell, includedById, includedObjects, pushAuthorCells } from './flatten.js';

describe('cell()', () => {
  const cases: Array<[name: string, value: unknown, expected: string]> = [
    ['string verbatim', 'NA', 'NA'],
    ['string null verbatim', 'null', 'null'],
    ['integer', 42, '42'],
    ['integer parsed from 1.0', JSON.parse('1.0'), '1'],
    ['zero', 0, '0'],
    ['negative', -3, '-3'],
    ['fraction kept', 0.5, '0.5'],
    ['NaN empty', Number.NaN, ''],
    ['true', true, 'true'],
    ['false', false, 'false'],
    ['null empty', null, ''],
    ['undefined empty', undefined, ''],
    ['bigint', 12345678901234567890n, '12345678901234567890'],
    ['object as JSON', { a: 1 }, '{"a":1}'],
    ['array as JSON', ['x'], '["x"]'],
  ];
  for (const [name, value, expected] of cases) {
    it(`${name}`, () => assert.equal(cell(value), expected));
  }
});

describe('asRecord()', () => {
  it('accepts objects only', () => {
    assert.deepEqual(asRecord({ a: 1 }), { a: 1 });
    for (const value of [null, [], 'x', 1, undefined]) assert.equal(asRecord(value), undefined);
  });
});

describe('includedObjects() and includedById()', () => {
  it('reads includes.posts as an alias of includes.tweets, preferring tweets', () => {
    assert.deepEqual(includedObjects({ includes: { posts: [{ id: '1' }] } }, 'tweets'), [{ id: '1' }]);
    assert.deepEqual(includedObjects({ includes: { tweets: [{ id: '2' }], posts: [{ id: '1' }] } }, 'tweets'), [
      { id: '2' },
    ]);
    assert.deepEqual(includedObjects({ includes: { posts: [{ id: '1' }] } }, 'users'), []);
  });

  it('tolerates missing or malformed includes', () => {
    assert.deepEqual(includedObjects({}, 'users'), []);
    assert.deepEqual(includedObjects(JSON.parse('{"includes":null}'), 'users'), []);
    assert.deepEqual(includedObjects({ includes: { users: 'x' } }, 'users'), []);
    assert.equal(includedById({ includes: { users: [null, 3, { id: '9' }] } }, 'users', '9')?.id, '9');
    assert.equal(includedById({ includes: { users: [{ id: '9' }] } }, 'users', undefined), undefined);
  });

  it('authorOf() picks the user whose id equals data.author_id', () => {
    const message = { data: { author_id: '2' }, includes: { users: [{ id: '1' }, { id: '2', name: 'B' }] } };
    assert.equal(authorOf(message)?.name, 'B');
    assert.equal(authorOf({ data: {}, includes: message.includes }), undefined);
  });
});

describe('pushAuthorCells()', () => {
  it('appends ten cells, empty for a missing author', () => {
    assert.deepEqual(pushAuthorCells(['x'], undefined), ['x', ...Array(10).fill('')]);
    assert.deepEqual(pushAuthorCells([], { verified: true, public_metrics: { listed_count: 3 } }), [
      '', '', '', '', 'true', '', '', '', '', '3',
    ]);
  });
});
