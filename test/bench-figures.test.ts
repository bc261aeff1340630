import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { atLeast, atMost, FIGURES_FILE_ENV, recordFigures, type Figure } from '../bench/figures.js';
import { formatTable, formatValue } from '../bench/table.js';

describe('bench figures', () => {
  const row = { bench: 'hourly', figure: 'hourly wall / floor, scale 1', unit: 'x' };
  const bounds: Array<[string, Figure, boolean, string]> = [
    ['at most, below', atMost({ ...row, value: 1.05 }, 1.1), true, '<= 1.1x'],
    ['at most, equal', atMost({ ...row, value: 1.1 }, 1.1), true, '<= 1.1x'],
    ['at most, above', atMost({ ...row, value: 1.28 }, 1.1), false, '<= 1.1x'],
    ['strictly below, equal', atMost({ ...row, value: 450, unit: 'MB' }, 450, true), false, '< 450 MB'],
    ['at least, below', atLeast({ ...row, value: 2.9 }, 3), false, '>= 3x'],
    ['at least, equal', atLeast({ ...row, value: 3 }, 3), true, '>= 3x'],
  ];
  for (const [name, figure, met, target] of bounds) {
    it(name, () => assert.deepEqual([figure.met, figure.target], [met, target]));
  }

  it('formats values for reading and a markdown table with baseline, target and verdict', () => {
    assert.deepEqual([0.8123, 12.345, 450.6, Number.NaN].map(formatValue), ['0.812', '12.3', '451', 'NaN']);
    const table = formatTable([
      atMost({ ...row, value: 1.28, baseline: { label: 'floor: xz -6 -T2, s', value: 41.2 } }, 1.1),
      { bench: 'hydrate', figure: 'hydrate IDs/s', value: 5120, unit: 'IDs/s' },
    ]);
    assert.equal(table, [
      '| figure | measured | baseline (same run) | target |  |',
      '| --- | --- | --- | --- | --- |',
      '| hourly wall / floor, scale 1 | 1.280x | floor: xz -6 -T2, s: 41.2 | <= 1.1x | NOT met |',
      '| hydrate IDs/s | 5120 IDs/s |  |  |  |',
      '',
    ].join('\n'));
  });

  it('appends rows as JSON lines only when run under the bench runner', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-figures-'));
    const file = join(dir, 'figures.jsonl');
    const previous = process.env[FIGURES_FILE_ENV];
    try {
      delete process.env[FIGURES_FILE_ENV];
      await recordFigures([{ ...row, value: 1 }]);
      await assert.rejects(readFile(file), { code: 'ENOENT' });
      process.env[FIGURES_FILE_ENV] = file;
      await recordFigures([{ ...row, value: 1 }]);
      await recordFigures([{ ...row, value: 2 }]);
      assert.deepEqual((await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l).value), [1, 2]);
    } finally {
      if (previous === undefined) delete process.env[FIGURES_FILE_ENV];
      else process.env[FIGURES_FILE_ENV] = previous;
      await rm(dir, { recursive: true, force: true });
    }
  });
});
