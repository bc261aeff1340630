import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS, HOUR_MS } from '../../platform/time.js';
import { planPrune, planRawArchivePrune, pruneTotals, type RawArchiveFile, type RetainedEntry } from './prune-plan.js';

const NOW = Date.parse('2026-12-07T00:00:00Z');
const DAYS = { quarantine_days: 30, late_days: 14 };
const PUBLISHED = new Set(['2026-11-01T00']);

function entry(folder: RetainedEntry['folder'], ageDays: number, hourKey: string | null = null): RetainedEntry {
  return { folder, path: `/${folder}/${ageDays}/${hourKey ?? ''}`, bytes: 100, changedMs: NOW - ageDays * DAY_MS, hourKey };
}

describe('planPrune', () => {
  const cases: { name: string; entry: RetainedEntry; days?: typeof DAYS; pruned: boolean }[] = [
    { name: 'quarantine younger than its limit', entry: entry('quarantine', 29.9), pruned: false },
    { name: 'quarantine exactly at its limit', entry: entry('quarantine', 30), pruned: true },
    { name: 'quarantine older than its limit', entry: entry('quarantine', 90), pruned: true },
    { name: 'quarantine with limit 0 (kept for ever)', entry: entry('quarantine', 900), days: { ...DAYS, quarantine_days: 0 }, pruned: false },
    { name: 'late of a published hour, old', entry: entry('late', 14, '2026-11-01T00'), pruned: true },
    { name: 'late of a published hour, young', entry: entry('late', 13, '2026-11-01T00'), pruned: false },
    { name: 'late of an hour not published (no manifest)', entry: entry('late', 100, '2026-10-01T00'), pruned: false },
    { name: 'late folder without an hour name', entry: entry('late', 100, null), pruned: false },
    { name: 'late with limit 0', entry: entry('late', 100, '2026-11-01T00'), days: { ...DAYS, late_days: 0 }, pruned: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(planPrune([c.entry], c.days ?? DAYS, NOW, PUBLISHED).length, c.pruned ? 1 : 0);
    });
  }

  it('totals count and bytes per folder', () => {
    const pruned = [entry('quarantine', 40), entry('quarantine', 50), entry('late', 20, '2026-11-01T00')];
    assert.deepEqual(pruneTotals(pruned), { quarantine: { count: 2, bytes: 200 }, late: { count: 1, bytes: 100 } });
  });
});

describe('planRawArchivePrune', () => {
  const CLOSED = new Set(['2026-12-05T22']);
  /** The raw archive of an hour (by default 2026-12-05T22, which ends at 23:00 and is closed). */
  function raw(hourKey = '2026-12-05T22'): RawArchiveFile {
    const hourStartMs = Date.parse(`${hourKey}:00:00Z`);
    return { day: hourKey.slice(0, 10), name: `${hourKey.replace('T', '_')}_raw.jsonl.xz`, path: `/vault/${hourKey}`, bytes: 100, hourKey, hourStartMs };
  }
  const ended = Date.parse('2026-12-05T23:00:00Z');
  const cases: { name: string; file: RawArchiveFile; nowMs: number; days?: number; closed?: ReadonlySet<string>; pruned: boolean }[] = [
    { name: 'a closed hour that ended a day ago', file: raw(), nowMs: ended + DAY_MS, pruned: true },
    { name: 'a closed hour that ended just under a day ago', file: raw(), nowMs: ended + DAY_MS - 1, pruned: false },
    { name: 'the age counts from the hour end, not its start', file: raw(), nowMs: ended - HOUR_MS + DAY_MS, pruned: false },
    { name: 'an old hour still open (within staging_retention_h, amendable)', file: raw(), nowMs: ended + 30 * DAY_MS, closed: new Set(), pruned: false },
    { name: 'an old hour without a manifest (still to be published)', file: raw('2026-11-01T00'), nowMs: ended + 30 * DAY_MS, pruned: false },
    { name: 'raw_archive_days 0 (kept for ever)', file: raw(), nowMs: ended + 900 * DAY_MS, days: 0, pruned: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(planRawArchivePrune([c.file], c.days ?? 1, c.nowMs, c.closed ?? CLOSED).length, c.pruned ? 1 : 0);
    });
  }
});
