import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR_MS } from '../../contracts/index.js';
import { createdSkew, MAX_CREATED_AHEAD_MS, type CreatedSkew } from './created-skew.js';

describe('createdSkew()', () => {
  const received = Date.parse('2026-11-22T10:00:00.000Z');
  const max = 48 * HOUR_MS;
  const cases: Array<[string, number, CreatedSkew]> = [
    ['1970', Date.parse('1970-01-01T00:00:00Z'), 'too-old'],
    ['2010', Date.parse('2010-11-06T12:00:00Z'), 'too-old'],
    ['2099', Date.parse('2099-01-01T00:00:00Z'), 'ahead'],
    ['next day', received + 24 * HOUR_MS, 'ahead'],
    ['+275760-09-13, the end of the Date range', Date.parse('+275760-09-13T00:00:00.000Z'), 'ahead'],
    ['within the window', received - 5 * HOUR_MS, 'ok'],
    ['a few minutes ahead', received + 3 * 60_000, 'ok'],
    ['exactly max before', received - max, 'ok'],
    ['just over max before', received - max - 1, 'too-old'],
    ['exactly the allowed lead', received + MAX_CREATED_AHEAD_MS, 'ok'],
    ['just over the allowed lead', received + MAX_CREATED_AHEAD_MS + 1, 'ahead'],
  ];
  for (const [name, createdAtMs, expected] of cases) {
    it(`createdSkew() is ${expected}: ${name}`, () => assert.equal(createdSkew(createdAtMs, received, max), expected));
  }
});
