import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectedHash, type ExpectedHash } from './expected-hash.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const SUMS = '2026-11-22_SHA256SUMS';

describe('expectedHash()', () => {
  const cases: Array<[name: string, osf: string | null, listed: string | null | undefined, expected: ExpectedHash]> = [
    ['OSF and SHA256SUMS agree', A, A, { ok: true, sha256: A }],
    ['OSF upper-case hex', A.toUpperCase(), A, { ok: true, sha256: A }],
    ['the checksum file itself (OSF only)', B, null, { ok: true, sha256: B }],
    ['OSF lists no hash', null, A, { ok: false, reason: 'OSF lists no sha256 for it' }],
    ['not in SHA256SUMS', A, undefined, { ok: false, reason: `not listed in ${SUMS}` }],
    ['OSF and SHA256SUMS differ', A, B, { ok: false, reason: `OSF lists sha256 ${A} but ${SUMS} lists ${B}` }],
  ];
  for (const [name, osf, listed, expected] of cases) {
    it(name, () => assert.deepEqual(expectedHash(osf, listed, SUMS), expected));
  }
});
