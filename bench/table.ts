import type { Figure } from './figures.js';

/** Figures to 3 significant decimals below 10, whole numbers above: what a reader compares. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(3);
}

/** Pure: the markdown table of `npm run bench` (it reads as text and pastes into the README as is). */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [
    f.figure,
    `${formatValue(f.value)}${f.unit === 'x' ? 'x' : ` ${f.unit}`}`,
    f.baseline === undefined ? '' : `${f.baseline.label}: ${formatValue(f.baseline.value)}`,
    f.target ?? '',
    f.met === undefined ? '' : f.met ? 'met' : 'NOT met',
  ]);
  const header = ['figure', 'measured', 'baseline (same run)', 'target', ''];
  const lines = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`);
  return lines.join('\n') + '\n';
}
