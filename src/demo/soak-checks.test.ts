import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkSoak, failedChecks, type SoakEvidence } from './soak-checks.js';

const S = 1_000;
const entry = (connection: number, id: string, sentAtMs: number) => ({ connection, id, sentAtMs });

/** Server 1 is down from 10 s to 20 s, server 2 from 15 s to 30 s: both are down from 15 s to 20 s. */
function evidence(overrides: Partial<SoakEvidence> = {}): SoakEvidence {
  return {
    ledger: [entry(1, '1', 1 * S), entry(2, '1', 1 * S), entry(2, '2', 12 * S), entry(1, '3', 25 * S), entry(1, '4', 17 * S)],
    gaps: { server1: [{ startMs: 10 * S, endMs: 20 * S }], server2: [{ startMs: 15 * S, endMs: 30 * S }] },
    published: new Map([['1', ['H0']], ['2', ['H0']], ['3', ['H0']]]),
    window: { startMs: 0, endMs: 60 * S },
    sample: [{ startMs: 17 * S, ids: ['5'] }],
    hourOf: () => 'H0',
    marginMs: 100,
    ...overrides,
  };
}

test('checkSoak() passes when every tweet sent while a server was connected is published once in its hour', () => {
  const findings = checkSoak(evidence());
  // '4' was sent while both servers were in a gap (a connection dying), so it is not required.
  assert.deepEqual([findings.sent, findings.required, findings.published, findings.unsent, findings.unsentMinutes], [4, 3, 3, 1, 1]);
  assert.deepEqual(failedChecks(findings), []);
});

const failures: Array<[string, Partial<SoakEvidence>, string]> = [
  ['a lost tweet', { published: new Map([['1', ['H0']], ['3', ['H0']]]) }, '1 tweets sent while a server was connected were not published'],
  ['a duplicate', { published: new Map([['1', ['H0', 'H0']], ['2', ['H0']], ['3', ['H0']]]) }, '1 tweets were published in more than one hour'],
  ['a wrong hour', { hourOf: (id) => (id === '3' ? 'H1' : 'H0') }, '1 tweets were published outside their created_at hour'],
  ['an unknown tweet', { published: new Map([['1', ['H0']], ['2', ['H0']], ['3', ['H0']], ['9', ['H0']]]) }, '1 published tweets were never sent'],
  ['an unsent tweet outside the gaps', { sample: [{ startMs: 40 * S, ids: ['6'] }] }, '1 seconds with unsent tweets are not declared as gaps by both servers'],
];
for (const [name, overrides, message] of failures) {
  test(`checkSoak() reports ${name}`, () => {
    assert.deepEqual(failedChecks(checkSoak(evidence(overrides))), [message]);
  });
}

test('checkSoak() judges only tweets sent within the window', () => {
  const findings = checkSoak(evidence({ window: { startMs: 5 * S, endMs: 60 * S } }));
  assert.equal(findings.required, 2);
});
