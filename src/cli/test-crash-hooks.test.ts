import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCrashTarget } from './test-crash-hooks.js';

describe('parseCrashTarget()', () => {
  const cases: Array<[string, { step: string; occurrence: number } | RegExp]> = [
    ['publish-writing', { step: 'publish-writing', occurrence: 1 }],
    ['ingest-chunk-committed#7', { step: 'ingest-chunk-committed', occurrence: 7 }],
    ['ingest-chunk-committed#12', { step: 'ingest-chunk-committed', occurrence: 12 }],
    ['', /must be "step" or "step#N"/],
  ];
  for (const [value, expected] of cases) {
    it(JSON.stringify(value), () => {
      if (expected instanceof RegExp) assert.throws(() => parseCrashTarget(value), expected);
      else assert.deepEqual(parseCrashTarget(value), expected);
    });
  }
});
