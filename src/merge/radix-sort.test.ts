import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sortByU64 } from './radix-sort.js';

describe('sortByU64()', () => {
  it('orders indices by 64-bit key like a BigInt sort, and is stable', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const keys = new BigUint64Array(5000);
    for (let i = 0; i < keys.length; i++) {
      // Few distinct values (many ties) spread over all four 16-bit digits.
      keys[i] = (BigInt(Math.floor(random() * 40)) << 50n) | BigInt(Math.floor(random() * 3)) * 0x1_0001_0001n;
    }
    const order = Uint32Array.from(keys, (_, i) => i);
    const sorted = [...sortByU64(order, keys)];
    const expected = [...keys.keys()].sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : a - b));
    assert.deepEqual(sorted, expected);
  });

  it('sorts a subset of indices and handles the extremes of the range', () => {
    const keys = BigUint64Array.from([2n ** 64n - 1n, 0n, 2n ** 63n, 1n]);
    assert.deepEqual([...sortByU64(Uint32Array.from([0, 2, 3]), keys)], [3, 2, 0]);
    assert.deepEqual([...sortByU64(new Uint32Array(0), keys)], []);
  });
});
