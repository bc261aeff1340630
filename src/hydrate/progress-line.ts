import type { HydrateProgress, HydrateSummary } from './hydrate-ids.js';

const count = (n: number) => n.toLocaleString('en-US');

function duration(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/** One progress line: IDs done of all, found, missing, requests, and a rate-limit wait when there is one. */
export function progressLine(progress: HydrateProgress, nowMs: number): string {
  const share = progress.total === 0 ? 100 : (progress.done / progress.total) * 100;
  const parts = [
    `${count(progress.done)} of ${count(progress.total)} IDs (${share.toFixed(1)}%)`,
    `${count(progress.found)} found`,
    `${count(progress.missing)} missing`,
    `${count(progress.requests)} requests`,
  ];
  if (progress.waitingUntilMs !== null) {
    parts.push(`waiting ${duration(progress.waitingUntilMs - nowMs)} (until ${new Date(progress.waitingUntilMs).toISOString()})`);
  }
  return `hydrate: ${parts.join(', ')}`;
}

/** The summary printed at the end (issue 11.2): requested, found, missing by kind, requests, waiting time. */
export function summaryLines(summary: HydrateSummary): string[] {
  const kinds = Object.entries(summary.missingByKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind}: ${count(n)}`);
  return [
    `requested ${count(summary.requested)} IDs (${count(summary.total)} lines of input${summary.resumedAt > 0 ? `, resumed at ${count(summary.resumedAt)}` : ''})`,
    `found     ${count(summary.found)}`,
    `missing   ${count(summary.missing)}${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`,
    `requests  ${count(summary.requests)} (minimum ${count(summary.minimumRequests)}, ${count(summary.retries)} retried)`,
    `waited    ${duration(summary.rateLimitWaitMs)} for rate limits (${count(summary.rateLimitWaits)} waits)`,
    `wrote     ${summary.outPath}, ${summary.missingPath}${summary.csvPath ? `, ${summary.csvPath} (${count(summary.csvRows ?? 0)} rows)` : ''}`,
  ];
}
