import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, formatDuration, formatProgressBar, type ProgressState } from './progress-bar.js';

describe('formatProgressBar()', () => {
  const cases: Array<[state: ProgressState, expected: string]> = [
    [
      { hoursDone: 0, hoursTotal: 3, bytesDone: 0, bytesTotal: 3_000_000, elapsedMs: 0 },
      '[--------------------] 0/3 hours  0 B/3.0 MB  -- B/s  ETA --:--',
    ],
    [
      { hoursDone: 1, hoursTotal: 4, bytesDone: 1_200_000, bytesTotal: 4_800_000, elapsedMs: 2_000 },
      '[#####---------------] 1/4 hours  1.2 MB/4.8 MB  600.0 kB/s  ETA 0:06',
    ],
    [
      { hoursDone: 3, hoursTotal: 3, bytesDone: 4_800_000, bytesTotal: 4_800_000, elapsedMs: 8_000 },
      '[####################] 3/3 hours  4.8 MB/4.8 MB  600.0 kB/s  ETA 0:00',
    ],
    // Everything already present: nothing to transfer, the bar follows the hours.
    [
      { hoursDone: 1, hoursTotal: 2, bytesDone: 0, bytesTotal: 0, elapsedMs: 500 },
      '[##########----------] 1/2 hours  0 B/0 B  -- B/s  ETA --:--',
    ],
    // A retry transferred more than the estimate: the bar stays full and the ETA at zero.
    [
      { hoursDone: 2, hoursTotal: 3, bytesDone: 2_500, bytesTotal: 2_000, elapsedMs: 1_000 },
      '[####################] 2/3 hours  2.5 kB/2.0 kB  2.5 kB/s  ETA 0:00',
    ],
    // A slow link: 1 kB/s for 100 MB left.
    [
      { hoursDone: 0, hoursTotal: 24, bytesDone: 10_000, bytesTotal: 100_010_000, elapsedMs: 10_000 },
      '[--------------------] 0/24 hours  10.0 kB/100.0 MB  1.0 kB/s  ETA 27:46:40',
    ],
  ];
  for (const [state, expected] of cases) {
    it(expected, () => assert.equal(formatProgressBar(state), expected));
  }

  it('takes a bar width', () => {
    const state = { hoursDone: 1, hoursTotal: 2, bytesDone: 50, bytesTotal: 100, elapsedMs: 1000 };
    assert.match(formatProgressBar(state, 4), /^\[##--\] /);
  });
});

describe('formatBytes()', () => {
  const cases: Array<[number, string]> = [[0, '0 B'], [999, '999 B'], [1000, '1.0 kB'], [1500, '1.5 kB'], [999_960, '1.0 MB'], [12_345_678, '12.3 MB'], [2e9, '2.0 GB']];
  for (const [bytes, expected] of cases) it(`${bytes} -> ${expected}`, () => assert.equal(formatBytes(bytes), expected));
});

describe('formatDuration()', () => {
  const cases: Array<[number, string]> = [[0, '0:00'], [1, '0:01'], [59_000, '0:59'], [61_000, '1:01'], [3_600_000, '1:00:00'], [3_725_000, '1:02:05'], [-5, '0:00']];
  for (const [ms, expected] of cases) it(`${ms} ms -> ${expected}`, () => assert.equal(formatDuration(ms), expected));
});
