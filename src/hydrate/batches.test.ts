import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchesOf, lookupOutcome, missingLines, NOT_RETURNED } from './batches.js';

async function* from(ids: string[]): AsyncGenerator<string> {
  yield* ids;
}

async function collect(ids: string[], size: number) {
  const batches = [];
  for await (const batch of batchesOf(from(ids), size)) batches.push(batch);
  return batches;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => String(1000 + i));

describe('batchesOf()', () => {
  const cases: Array<{ name: string; ids: string[]; size: number; expected: Array<[number, number]> }> = [
    { name: 'no IDs, no batch', ids: [], size: 100, expected: [] },
    { name: 'fewer than a batch', ids: range(7), size: 100, expected: [[7, 7]] },
    { name: 'exactly two batches', ids: range(200), size: 100, expected: [[100, 100], [100, 100]] },
    { name: 'a short last batch', ids: range(250), size: 100, expected: [[100, 100], [100, 100], [50, 50]] },
    { name: 'a repeat is sent once but consumed', ids: ['1', '2', '1', '3'], size: 2, expected: [[2, 3], [1, 1]] },
  ];
  for (const { name, ids, size, expected } of cases) {
    it(name, async () => {
      const batches = await collect(ids, size);
      assert.deepEqual(batches.map((b) => [b.ids.length, b.consumed]), expected);
      assert.equal(batches.reduce((sum, b) => sum + b.consumed, 0), ids.length);
    });
  }
});

describe('lookupOutcome()', () => {
  it('counts returned IDs as found and names the error of each missing one', () => {
    const outcome = lookupOutcome(['1', '2', '3', '4'], {
      data: [{ id: '1', text: 'a', edit_history_tweet_ids: ['1'] }, { id: '4', text: 'b', edit_history_tweet_ids: ['4'] }],
      errors: [
        { value: '2', resource_id: '2', title: 'Not Found Error', detail: 'Could not find tweet with ids: [2].', type: 'x' },
        // A partial error about a referenced tweet, not a requested one.
        { resource_id: '99', title: 'Not Found Error', detail: 'referenced', type: 'x' },
      ],
    });
    assert.deepEqual(outcome, { found: 2, missing: [{ id: '2', reason: 'Not Found Error' }, { id: '3', reason: NOT_RETURNED }] });
  });

  it('treats an answer without data (every ID gone) as all missing', () => {
    assert.deepEqual(lookupOutcome(['5'], { errors: [{ value: '5', title: 'Authorization Error', detail: '', type: 'x' }] }), {
      found: 0,
      missing: [{ id: '5', reason: 'Authorization Error' }],
    });
  });
});

describe('missingLines()', () => {
  it('writes id TAB reason lines and keeps tabs and newlines out of the reason', () => {
    assert.equal(missingLines([{ id: '1', reason: 'Not\tFound\nError' }, { id: '2', reason: 'x' }]), '1\tNot Found Error\n2\tx\n');
  });
});
