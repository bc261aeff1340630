import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFailure, isTransientStatus, retryDelayMs } from './retry-policy.js';

describe('isTransientStatus()', () => {
  const cases: Array<[number, boolean]> = [[0, true], [429, true], [500, true], [503, true], [200, false], [401, false], [403, false], [404, false]];
  for (const [status, expected] of cases) it(`${status} -> ${expected}`, () => assert.equal(isTransientStatus(status), expected));
});

describe('retryDelayMs()', () => {
  const cases: Array<[retry: number, retryAfterMs: number | null, expected: number]> = [
    [1, null, 2_000],
    [2, null, 4_000],
    [3, null, 8_000],
    [1, 10_000, 10_000],
    [2, 1_000, 4_000],
    [1, 3_600_000, 60_000],
    [10, null, 60_000],
  ];
  for (const [retry, retryAfterMs, expected] of cases) {
    it(`retry ${retry} with Retry-After ${retryAfterMs} waits ${expected} ms`, () => assert.equal(retryDelayMs(retry, retryAfterMs), expected));
  }
});

describe('describeFailure()', () => {
  it('names the missing answer, the refusal with its fix, and other statuses', () => {
    assert.equal(describeFailure(0, 'ECONNRESET'), 'no answer from OSF (ECONNRESET)');
    assert.match(describeFailure(401, null), /^OSF answered HTTP 401: the project is private.*--osf-token-file/);
    assert.match(describeFailure(403, null), /HTTP 403: the project is private/);
    assert.equal(describeFailure(404, null), 'OSF answered HTTP 404');
  });
});
