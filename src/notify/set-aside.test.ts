import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IngestAlert } from '../contracts/index.js';
import { countSetAside, setAsideLines } from './set-aside.js';

describe('countSetAside()', () => {
  const event = (at: string, kind: IngestAlert['kind'], path: string, lines?: number): IngestAlert => ({ at, kind, server: 'server1', path, detail: '', ...(lines === undefined ? {} : { lines }) });
  const events = [
    event('2026-11-20T23:59:59.999Z', 'foreign-file', '/q/before'),
    event('2026-11-21T00:00:00.000Z', 'created-at-skew', '/q/a', 3),
    event('2026-11-21T05:00:00.000Z', 'foreign-file', '/q/b'),
    event('2026-11-21T12:00:00.000Z', 'created-at-skew', '/q/c', 4),
    event('2026-11-22T00:00:00.000Z', 'late-arrival', '/late/after', 9),
  ];
  const day = [Date.parse('2026-11-21T00:00:00Z'), Date.parse('2026-11-22T00:00:00Z')] as const;

  it('counts the events of the day by kind, start included and end excluded, with lines and the newest path', () => {
    assert.deepEqual(countSetAside(events, ...day), [
      { kind: 'created-at-skew', events: 2, lines: 7, newestPath: '/q/c' },
      { kind: 'foreign-file', events: 1, lines: 0, newestPath: '/q/b' },
    ]);
  });

  it('reads as one line per kind, or says nothing was set aside', () => {
    assert.deepEqual(setAsideLines([]), ['Nothing was set aside.']);
    assert.deepEqual(setAsideLines(countSetAside(events, ...day)), [
      'created-at-skew: 2 event(s), 7 line(s); newest: /q/c',
      'foreign-file: 1 event(s); newest: /q/b',
    ]);
  });
});
