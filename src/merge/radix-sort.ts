/**
 * Stable LSD radix sort of `order` (indices into `keys`) by the unsigned 64-bit keys, 16 bits per pass; passes
 * whose digit is the same for every key are skipped (tweet IDs of one hour share their top bits). Linear time
 * and no comparator calls: an hour at the 10% rate has millions of copies.
 */
export function sortByU64(order: Uint32Array, keys: BigUint64Array): Uint32Array {
  const words = new Uint32Array(keys.buffer, keys.byteOffset, keys.length * 2);
  let from: Uint32Array = order;
  let to: Uint32Array = new Uint32Array(order.length);
  const counts = new Uint32Array(1 << 16);
  for (let pass = 0; pass < 4; pass++) {
    // Little-endian: word 2i is the low half of key i, word 2i+1 the high half.
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < from.length; i++) counts[(words[2 * from[i]! + word]! >>> shift) & 0xffff]!++;
    if (from.length === 0 || counts[(words[2 * from[0]! + word]! >>> shift) & 0xffff] === from.length) continue;
    let sum = 0;
    for (let d = 0; d < counts.length; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < from.length; i++) {
      const index = from[i]!;
      to[counts[(words[2 * index + word]! >>> shift) & 0xffff]!++] = index;
    }
    [from, to] = [to, from];
  }
  return from;
}
