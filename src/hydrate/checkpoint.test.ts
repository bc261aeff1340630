import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckpointMismatchError, emptyCounts, resumePoint, type HydrateCheckpoint } from './checkpoint.js';

const inputs = [{ path: '/d/a.txt.xz', ids: 250 }, { path: '/d/b.txt', ids: 10 }];
const query: Record<string, string> = { 'tweet.fields': 'text,author_id', expansions: 'author_id' };
const checkpoint: HydrateCheckpoint = {
  format_version: 1,
  inputs,
  query,
  ids_done: 200,
  out_bytes: 5000,
  missing_bytes: 80,
  counts: { ...emptyCounts(), requested: 200, found: 190, missing: 10, requests: 3 },
  updated_at: '2026-11-22T10:00:00.000Z',
};
const job = { inputs, query, outPath: '/d/out.jsonl', outBytes: 5000 };

describe('resumePoint()', () => {
  it('starts a new job at zero', () => {
    assert.deepEqual(resumePoint(null, { ...job, outBytes: 0 }), { idsDone: 0, outBytes: 0, missingBytes: 0, counts: emptyCounts() });
  });

  it('resumes at the checkpoint, cutting what was written after it (OUT may be longer)', () => {
    for (const outBytes of [5000, 5731]) {
      const point = resumePoint(checkpoint, { ...job, outBytes });
      assert.deepEqual(point, { idsDone: 200, outBytes: 5000, missingBytes: 80, counts: checkpoint.counts });
      assert.notEqual(point.counts, checkpoint.counts, 'a copy: the run mutates its counts');
    }
  });

  const refusals: Array<[string, HydrateCheckpoint | null, Partial<typeof job>, RegExp]> = [
    ['OUT has lines but no checkpoint', null, { outBytes: 10 }, /already holds 10 bytes and has no checkpoint/],
    ['other files', checkpoint, { inputs: [inputs[0]!] }, /made for other ID files/],
    ['a file that changed', checkpoint, { inputs: [inputs[0]!, { path: '/d/b.txt', ids: 11 }] }, /other ID files or fields/],
    ['other fields', checkpoint, { query: { 'tweet.fields': 'text' } }, /other ID files or fields/],
    ['OUT shorter than the checkpoint', checkpoint, { outBytes: 4999 }, /shorter \(4999 bytes\)/],
  ];
  for (const [name, given, change, message] of refusals) {
    it(`refuses: ${name}`, () => {
      assert.throws(() => resumePoint(given, { ...job, ...change }), (err: unknown) => err instanceof CheckpointMismatchError && message.test(err.message));
    });
  }
});
