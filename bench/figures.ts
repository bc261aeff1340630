// One row of the bench table (issue 13): a measured figure, the baseline measured beside it in the same run,
// and the target. Each bench script prints its own lines; under `npm run bench` (bench/run-all.ts) it also
// appends its rows to the file named by BENCH_FIGURES_FILE, from which one table and the JSON are made.
import { appendFile } from 'node:fs/promises';

export interface Figure {
  /** Which bench measured it: ingest, hourly, sync, hydrate. */
  bench: string;
  figure: string;
  value: number;
  unit: string;
  /** What `value` is compared with, measured in the same run (a floor, a bare reader, the sftp CLI). */
  baseline?: { label: string; value: number };
  /** The target as text (`<= 1.10x`), and whether `value` meets it. */
  target?: string;
  met?: boolean;
}

export const FIGURES_FILE_ENV = 'BENCH_FIGURES_FILE';

/** A figure with an upper bound: met when `value <= max` (or `< max` when `strict`). */
export function atMost(row: Omit<Figure, 'target' | 'met'>, max: number, strict = false): Figure {
  return { ...row, target: `${strict ? '<' : '<='} ${max}${row.unit === 'x' ? 'x' : ` ${row.unit}`}`, met: strict ? row.value < max : row.value <= max };
}

/** A figure with a lower bound: met when `value >= min`. */
export function atLeast(row: Omit<Figure, 'target' | 'met'>, min: number): Figure {
  return { ...row, target: `>= ${min}${row.unit === 'x' ? 'x' : ` ${row.unit}`}`, met: row.value >= min };
}

/** Appends rows for bench/run-all.ts, one JSON line each; does nothing when a bench runs on its own. */
export async function recordFigures(figures: readonly Figure[]): Promise<void> {
  const file = process.env[FIGURES_FILE_ENV];
  if (file === undefined || figures.length === 0) return;
  await appendFile(file, figures.map((f) => JSON.stringify(f) + '\n').join(''));
}
