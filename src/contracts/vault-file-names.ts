/** Name of an hour's IDs file for label 'YYYY-MM-DD_HH[b]' (DESIGN 3.3), as in the vault and on OSF. */
export function idsFileName(label: string): string {
  return `${label}_IDs.txt.xz`;
}

/** Name of a label day's report file (DESIGN 3.3). */
export function dayReportFileName(date: string): string {
  return `${date}_report.txt`;
}

/** Name of a label day's checksum file, `<YYYY-MM-DD>_SHA256SUMS` (DESIGN 3.3). */
export function daySumsFileName(date: string): string {
  return `${date}_SHA256SUMS`;
}
