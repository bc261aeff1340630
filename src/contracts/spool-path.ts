import { join } from 'node:path';
import { HOUR_MS, MINUTE_MS } from '../platform/time.js';

/** Spool naming, DESIGN 3.1: `<spool>/<server>/<YYYY-MM-DD>/<HH>/<YYYY-MM-DDTHH-MMZ>(_N).jsonl`, UTC. */

// Re-exported for the stages that already take the spool's minute and hour lengths from contracts/.
export { HOUR_MS, MINUTE_MS };
export const PART_SUFFIX = '.part';

const SPOOL_NAME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})Z(?:_([1-9]\d*))?\.jsonl$/;

/** Start of the UTC minute holding `ms`. */
export function minuteStart(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** `YYYY-MM-DDTHH-MMZ` for the minute starting at `minuteStartMs`: the key of a minute everywhere. */
export function minuteKey(minuteStartMs: number): string {
  const iso = new Date(minuteStartMs).toISOString();
  return `${iso.slice(0, 13)}-${iso.slice(14, 16)}Z`;
}

/** File name of a minute's segment (segment 0 has no suffix). */
export function minuteFileName(minuteStartMs: number, segment = 0): string {
  return `${minuteKey(minuteStartMs)}${segment > 0 ? `_${segment}` : ''}.jsonl`;
}

/** Path relative to the spool root: `<server>/<YYYY-MM-DD>/<HH>/<name>`. */
export function minuteRelativePath(server: string, minuteStartMs: number, segment = 0): string {
  const iso = new Date(minuteStartMs).toISOString();
  return join(server, iso.slice(0, 10), iso.slice(11, 13), minuteFileName(minuteStartMs, segment));
}

/** Absolute path of a minute's segment file. */
export function minutePath(spoolDir: string, server: string, minuteStartMs: number, segment = 0): string {
  return join(spoolDir, minuteRelativePath(server, minuteStartMs, segment));
}

export interface SpoolName {
  minuteStartMs: number;
  segment: number;
}

/** Parses a closed spool file name; null for anything else (foreign, `.part`, dot files). */
export function parseSpoolName(name: string): SpoolName | null {
  const m = SPOOL_NAME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, seg] = m;
  const ms = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!);
  if (Number.isNaN(ms) || minuteKey(ms) !== name.slice(0, 17)) return null;
  return { minuteStartMs: ms, segment: seg ? Number.parseInt(seg, 10) : 0 };
}
