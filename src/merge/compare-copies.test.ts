import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareCopies, type CopyRank } from './compare-copies.js';

describe('compareCopies()', () => {
  const base: CopyRank = { retrievedAtMs: 1000, server: 'server1', fileSeq: 5, line: 10 };
  const cases: Array<[name: string, a: Partial<CopyRank>, b: Partial<CopyRank>, winner: 'a' | 'b' | 'tie']> = [
    ['earlier retrieved_at wins over server', { retrievedAtMs: 999, server: 'server2' }, {}, 'a'],
    ['later retrieved_at loses despite earlier file', { retrievedAtMs: 1001, fileSeq: 0 }, {}, 'b'],
    ['tie on time: server1 wins', {}, { server: 'server2' }, 'a'],
    ['tie on time: server1 wins over an earlier file of server2', { fileSeq: 9 }, { server: 'server2', fileSeq: 1 }, 'a'],
    ['same server: earlier file wins', { fileSeq: 4, line: 99 }, {}, 'a'],
    ['same file: earlier line wins', { line: 11 }, {}, 'b'],
    ['a missing retrieved_at (Infinity) loses', { retrievedAtMs: Number.POSITIVE_INFINITY }, { server: 'server2' }, 'b'],
    ['identical copies tie', {}, {}, 'tie'],
  ];
  for (const [name, a, b, winner] of cases) {
    it(name, () => {
      const order = compareCopies({ ...base, ...a }, { ...base, ...b });
      assert.equal(Math.sign(order), winner === 'a' ? -1 : winner === 'b' ? 1 : 0);
      assert.equal(Math.sign(compareCopies({ ...base, ...b }, { ...base, ...a })), -Math.sign(order) || 0);
    });
  }
});
