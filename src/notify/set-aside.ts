import type { IngestAlert } from '../contracts/index.js';

/** What hourly set aside during the day, by kind of ingest alert: files and lines, and the newest place. */
export interface SetAsideCount {
  kind: IngestAlert['kind'];
  events: number;
  /** Lines concerned, for the kinds that count them (late arrivals, created-at skew). */
  lines: number;
  newestPath: string;
}

/** Pure: the ingest alerts recorded in [fromMs, toMs), counted by kind in order of first appearance. */
export function countSetAside(events: readonly IngestAlert[], fromMs: number, toMs: number): SetAsideCount[] {
  const byKind = new Map<IngestAlert['kind'], SetAsideCount>();
  for (const event of events) {
    const atMs = Date.parse(event.at);
    if (!(atMs >= fromMs && atMs < toMs)) continue;
    const count = byKind.get(event.kind) ?? { kind: event.kind, events: 0, lines: 0, newestPath: event.path };
    count.events++;
    count.lines += event.lines ?? 0;
    count.newestPath = event.path;
    byKind.set(event.kind, count);
  }
  return [...byKind.values()];
}

/** One plain line per kind, for the mail's text part and its HTML section. */
export function setAsideLines(counts: readonly SetAsideCount[]): string[] {
  if (counts.length === 0) return ['Nothing was set aside.'];
  return counts.map(
    (c) => `${c.kind}: ${c.events} event(s)${c.lines > 0 ? `, ${c.lines} line(s)` : ''}; newest: ${c.newestPath}`,
  );
}
