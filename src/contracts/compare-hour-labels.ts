/**
 * Order of hour labels, DESIGN 3.3: '02' < '02b' < '03' (also for full labels 'YYYY-MM-DD_02b').
 * Plain code-unit order already gives this, because a label is a prefix of its 'b' twin.
 */
export function compareHourLabels(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
