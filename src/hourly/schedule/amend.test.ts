import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { amendAction, type AmendAction, type AmendInput } from './amend.js';

const HOUR = 3_600_000;
const base: AmendInput = {
  newChunks: 0,
  nowMs: 100 * HOUR,
  publishedAtMs: 99 * HOUR,
  firstPublishedAtMs: 99 * HOUR,
  amendIntervalMin: 60,
  stagingRetentionH: 48,
};

describe('amendAction() (DESIGN 3.4 amendments)', () => {
  const cases: Array<[string, Partial<AmendInput>, AmendAction]> = [
    ['nothing new', {}, 'none'],
    ['new chunks, interval passed', { newChunks: 2 }, 'amend'],
    ['new chunks, last rebuild 59 min ago', { newChunks: 1, publishedAtMs: 100 * HOUR - 59 * 60_000 }, 'wait'],
    ['new chunks, interval 0', { newChunks: 1, publishedAtMs: 100 * HOUR, amendIntervalMin: 0 }, 'amend'],
    ['retention over, nothing new', { firstPublishedAtMs: 52 * HOUR }, 'close'],
    ['retention over with new chunks: a last amendment first', { firstPublishedAtMs: 52 * HOUR, newChunks: 1, publishedAtMs: 100 * HOUR }, 'amend'],
    ['retention 1 ms short', { firstPublishedAtMs: 52 * HOUR + 1 }, 'none'],
  ];
  for (const [name, change, expected] of cases) {
    it(`amendAction() says ${expected}: ${name}`, () => assert.equal(amendAction({ ...base, ...change }), expected));
  }
});
