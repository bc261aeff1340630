import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from './seeded-random.js';

test('SeededRandom repeats its sequence for a seed and stays in range', () => {
  const draw = (seed: number) => {
    const random = new SeededRandom(seed);
    return Array.from({ length: 200 }, () => random.int(3, 7));
  };
  assert.deepEqual(draw(42), draw(42));
  assert.notDeepEqual(draw(42), draw(43));
  const values = draw(42);
  assert.ok(values.every((v) => v >= 3 && v <= 7));
  assert.deepEqual(new Set(values), new Set([3, 4, 5, 6, 7]));
  assert.equal(new SeededRandom(1).pick(['only']), 'only');
});
