import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IndexColumns } from '../../contracts/copy-index.js';
import { ChunkIndexBuilder, decodeIndexInto, idToU64, indexEntryCount } from './chunk-index.js';

function columns(n: number): IndexColumns {
  return {
    ids: new BigUint64Array(n),
    authors: new BigUint64Array(n),
    retrieved: new Float64Array(n),
    offsets: new Float64Array(n),
    lengths: new Uint32Array(n),
  };
}

describe('chunk index', () => {
  const idCases: Array<[string | null, bigint | null]> = [
    ['1', 1n],
    ['1460323737035677698', 1460323737035677698n],
    ['18446744073709551615', 18446744073709551615n],
    ['18446744073709551616', null],
    ['123456789012345678901', null],
    ['0', null],
    [null, null],
  ];
  for (const [input, expected] of idCases) {
    it(`idToU64(${JSON.stringify(input)}) is ${expected}`, () => assert.equal(idToU64(input), expected));
  }

  it('encode() and decodeIndexInto() round-trip every column, at an offset, across growth', () => {
    const builder = new ChunkIndexBuilder();
    const n = 1000;
    for (let i = 0; i < n; i++) {
      builder.add({ id: 10n ** 18n + BigInt(i), authorId: BigInt(i % 7), retrievedAtMs: 1e12 + i, offset: i * 100, length: 99 });
    }
    const raw = builder.encode();
    assert.equal(indexEntryCount(raw.length, 'x'), n);
    const into = columns(n + 5);
    assert.equal(decodeIndexInto(raw, 'x', into, 5), n);
    assert.equal(into.ids[5], 10n ** 18n);
    assert.equal(into.ids[n + 4], 10n ** 18n + BigInt(n - 1));
    assert.equal(into.authors[5 + 13], 13n % 7n);
    assert.equal(into.retrieved[5 + 500], 1e12 + 500);
    assert.equal(into.offsets[5 + 999], 99_900);
    assert.equal(into.lengths[5 + 1], 99);
    assert.equal(into.ids[4], 0n, 'entries before the offset are untouched');
  });

  it('encode() keeps +Infinity for a copy without retrieved_at', () => {
    const builder = new ChunkIndexBuilder();
    builder.add({ id: 5n, authorId: 0n, retrievedAtMs: Number.POSITIVE_INFINITY, offset: 0, length: 1 });
    const into = columns(1);
    decodeIndexInto(builder.encode(), 'x', into, 0);
    assert.equal(into.retrieved[0], Number.POSITIVE_INFINITY);
  });

  it('decodeIndexInto() refuses a file that is not an index, naming the fix', () => {
    assert.throws(() => decodeIndexInto(Buffer.alloc(52), '/s/x.idx', columns(1), 0), /Cannot read chunk index \/s\/x\.idx: .*delete the chunk/);
    assert.throws(() => indexEntryCount(17, '/s/y.idx'), /not a whole number of entries/);
  });
});
