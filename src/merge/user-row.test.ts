import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixtureMessages } from '../../test/helpers/fixture-messages.js';
import { USER_COLUMNS } from './columns.js';
import { userRow } from './user-row.js';

describe('userRow()', () => {
  const messages = fixtureMessages('search-page-noflat');

  it('writes author_id, the tweet lang and the ten author cells of a real tweet', () => {
    assert.deepEqual(userRow(messages[25]!), [
      '1356198728735084545', 'en', '2021-02-01T11:13:06.000Z', '', 'The Traditionalist Gentleman',
      'TheTrad67354575', 'false', 'false', '14', '53', '192', '0',
    ]);
  });

  it('keeps author_id and lang but empties author cells when the author is absent', () => {
    assert.deepEqual(userRow({ data: { author_id: '5', lang: 'ja' } }), ['5', 'ja', ...Array(10).fill('')]);
  });

  it('gives every fixture tweet a row of USER_COLUMNS length', () => {
    for (const message of messages) assert.equal(userRow(message).length, USER_COLUMNS.length);
  });
});
