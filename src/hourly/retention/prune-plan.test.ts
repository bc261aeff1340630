import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DAY_MS } from '../../platform/time.js';
import { planPrune, pruneTotals, type RetainedEntry } from './prune-plan.js';

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
