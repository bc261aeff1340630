import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { barProgress, lineProgress } from './progress.js';
import type { FileResult } from './summary.js';

function capture(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk) => (text += chunk));
  return { out, text: () => text };
}

const hour: FileResult = {
  day: '2026-11-22',
  name: '2026-11-22_03_IDs.txt.xz',
  hourKey: '2026-11-22T03',
  label: '2026-11-22_03',
  status: 'downloaded',
  version: 1,
  bytes: 2_000_000,
  reason: null,
};

describe('barProgress()', () => {
  it('redraws in place with the rate and ETA of the injected clock, at most every 200 ms', () => {
    const clock = new FakeClock('2026-11-22T10:00:00Z');
    const { out, text } = capture();
    const progress = barProgress(out, clock);
    progress.begin({ hours: 2, bytes: 4_000_000 });
    clock.set(Date.parse('2026-11-22T10:00:02Z'));
    progress.transferred(1_000_000);
    progress.transferred(1_000_000); // same instant: not redrawn
    progress.fileDone(hour);
    progress.fileDone(hour); // the same hour finishing again counts once
    progress.end();
    const frames = text().split('\r').filter((frame) => frame !== '');
    assert.deepEqual(frames, [
      '[--------------------] 0/2 hours  0 B/4.0 MB  -- B/s  ETA --:--\x1b[K',
      '[#####---------------] 0/2 hours  1.0 MB/4.0 MB  500.0 kB/s  ETA 0:06\x1b[K',
      '[##########----------] 1/2 hours  2.0 MB/4.0 MB  1.0 MB/s  ETA 0:02\x1b[K',
      '[##########----------] 1/2 hours  2.0 MB/4.0 MB  1.0 MB/s  ETA 0:02\x1b[K',
      '[##########----------] 1/2 hours  2.0 MB/4.0 MB  1.0 MB/s  ETA 0:02\x1b[K\n',
    ]);
  });
});

describe('lineProgress()', () => {
  it('writes one plain line per finished file and nothing else', () => {
    const { out, text } = capture();
    const progress = lineProgress(out);
    progress.begin({ hours: 1, bytes: 10 });
    progress.transferred(10);
    progress.fileDone(hour);
    progress.end();
    assert.equal(text(), '2026-11-22/2026-11-22_03_IDs.txt.xz: downloaded (OSF version 1), 2.0 MB\n');
  });
});
