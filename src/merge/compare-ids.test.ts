import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareIds } from './compare-ids.js';

describe('compareIds()', () => {
  const cases: Array<[a: string, b: string, sign: number]> = [
    ['1', '2', -1],
    ['2', '10', -1],
    ['9', '10', -1],
    ['10', '9', 1],
    ['1440717170493689866', '1440717170493689866', 0],
    ['999999999999999999', '1000000000000000000', -1],
    ['1440717170493689866', '1380242611781386245', 1],
    ['9007199254740993', '9007199254740992', 1],
  ];
  for (const [a, b, sign] of cases) {
    it(`orders ${a} and ${b} numerically`, () => {
      assert.equal(Math.sign(compareIds(a, b)), sign);
      assert.equal(Math.sign(compareIds(b, a)), sign === 0 ? 0 : -sign);
      assert.equal(sign, a === b ? 0 : BigInt(a) < BigInt(b) ? -1 : 1);
    });
  }

  it('sorts like BigInt', () => {
    const ids = ['100', '99', '1440717170493689866', '7', '1380242611781386245', '18446744073709551615'];
    const expected = [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    assert.deepEqual([...ids].sort(compareIds), expected);
  });
});
