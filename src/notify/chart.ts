import type { MinuteRange } from '../contracts/index.js';
import { MINUTE_MS } from '../contracts/index.js';
import type { HourCoverage } from './day-coverage.js';
import { escapeHtml, formatCount } from './html-text.js';

/**
 * The daily report's chart (DESIGN 8): tweets per hour per server as bars, and under them one coverage strip
 * per server plus a merged strip, all as tables with inline styles, since mail clients drop scripts, SVG and
 * external images.
 */

/** Colours of the chart, also used by the report's legend and table. */
export const CHART_COLORS = {
  server1: '#2b6cb0',
  server2: '#dd6b20',
  covered: '#48bb78',
  missing: '#e53e3e',
  oneServer: '#ecc94b',
  unpublished: '#cbd5e0',
} as const;

const BAR_MAX_PX = 120;
const BAR_PX = 12;
const STRIP_PX = 28;
/** Width of an hour's column: its strip plus a gap to the next hour. */
const COLUMN_PX = 34;
const STRIP_HEIGHT_PX = 12;
/** A gap of one minute is narrower than a pixel at this scale; every gap gets at least this width. */
const MIN_GAP_PX = 2;

type MinuteState = 'covered' | 'missing' | 'oneServer' | 'unpublished';

/** A run of minutes in one state, and its width in the strip. */
export interface StripSegment {
  state: MinuteState;
  minutes: number;
  px: number;
}

function inRanges(ranges: readonly MinuteRange[], ms: number): boolean {
  return ranges.some((r) => ms >= r.startMs && ms < r.endMs);
}

/** The runs of a 60-minute strip of `hour`: one server's coverage (`missing` given), or both merged (null). */
export function stripSegments(hour: HourCoverage, missing: readonly MinuteRange[] | null): StripSegment[] {
  const runs: Array<{ state: MinuteState; minutes: number }> = [];
  for (let minute = 0; minute < 60; minute++) {
    const ms = hour.utcHourStartMs + minute * MINUTE_MS;
    const state: MinuteState =
      hour.line === null
        ? 'unpublished'
        : missing !== null
          ? inRanges(missing, ms)
            ? 'missing'
            : 'covered'
          : inRanges(hour.neither, ms)
            ? 'missing'
            : inRanges(hour.missing1, ms) || inRanges(hour.missing2, ms)
              ? 'oneServer'
              : 'covered';
    const last = runs.at(-1);
    if (last?.state === state) last.minutes++;
    else runs.push({ state, minutes: 1 });
  }
  return withWidths(runs, STRIP_PX);
}

/** Gives gaps at least MIN_GAP_PX and shares the rest among covered runs, so the widths add up to `totalPx`. */
function withWidths(runs: Array<{ state: MinuteState; minutes: number }>, totalPx: number): StripSegment[] {
  const isGap = (state: MinuteState) => state === 'missing' || state === 'oneServer';
  const gapPx = runs.map((r) => (isGap(r.state) ? Math.max(MIN_GAP_PX, (r.minutes * totalPx) / 60) : 0));
  const restMinutes = runs.reduce((sum, r) => sum + (isGap(r.state) ? 0 : r.minutes), 0);
  const restPx = Math.max(0, totalPx - gapPx.reduce((a, b) => a + b, 0));
  const exact = runs.map((r, i) => (isGap(r.state) ? gapPx[i]! : (r.minutes * restPx) / Math.max(1, restMinutes)));
  // Round cumulatively so the segments always fill the strip exactly.
  const scale = totalPx / exact.reduce((a, b) => a + b, 0);
  let doneExact = 0;
  let donePx = 0;
  return runs.map((r, i) => {
    doneExact += exact[i]! * scale;
    const px = Math.round(doneExact) - donePx;
    donePx += px;
    return { state: r.state, minutes: r.minutes, px };
  });
}

/** A layout table: no spacing, no border (attributes, which every mail client honours). */
const LAYOUT = 'role="presentation" cellpadding="0" cellspacing="0" border="0"';

/** A solid block of colour; bgcolor/width/height attributes keep it small and render without CSS support. */
function block(widthPx: number, heightPx: number, color: string): string {
  return `<td width="${widthPx}" height="${heightPx}" bgcolor="${color}" style="font-size:0;line-height:0"></td>`;
}

function barHeight(count: number, maxCount: number): number {
  if (count <= 0 || maxCount <= 0) return 0;
  return Math.max(1, Math.round((count / maxCount) * BAR_MAX_PX));
}

function barsCell(hour: HourCoverage, maxCount: number, expectServer2: boolean): string {
  const line = hour.line;
  if (line === null) {
    return `<td title="${escapeHtml(`${hour.label.hour}: not published`)}" bgcolor="#edf2f7"></td>`;
  }
  const title = `${hour.label.hour}: server 1 ${formatCount(line.serv1)}, server 2 ${formatCount(line.serv2)}`;
  const bar = (count: number, color: string) => {
    const height = barHeight(count, maxCount);
    return `<td valign="bottom"><table ${LAYOUT}><tr>${height > 0 ? block(BAR_PX, height, color) : ''}</tr></table></td>`;
  };
  const bars = [bar(line.serv1, CHART_COLORS.server1), ...(expectServer2 ? [bar(line.serv2, CHART_COLORS.server2)] : [])];
  return (
    `<td valign="bottom" align="center" title="${escapeHtml(title)}"><table ${LAYOUT}><tr>` +
    bars.join('<td width="2"></td>') +
    `</tr></table></td>`
  );
}

function stripCell(hour: HourCoverage, missing: readonly MinuteRange[] | null): string {
  const segments = stripSegments(hour, missing)
    .filter((s) => s.px > 0)
    .map((s) => block(s.px, STRIP_HEIGHT_PX, CHART_COLORS[s.state]))
    .join('');
  return `<td align="center" style="padding:2px 0"><table ${LAYOUT}><tr>${segments}</tr></table></td>`;
}

function labelCell(text: string, extra = ''): string {
  return `<td align="right" style="padding-right:8px;color:#4a5568${extra}">${text}</td>`;
}

function hourLabelCell(hour: HourCoverage): string {
  const version = hour.line?.version ?? 0;
  const amended = version > 1 ? `<br><b style="color:#805ad5">v${version}</b>` : '';
  return `<td align="center" style="padding-top:3px;color:#2d3748">${escapeHtml(hour.label.hour)}${amended}</td>`;
}

/**
 * The chart as an HTML table: bars of tweets per hour per server, then coverage strips with the gaps in colour;
 * without server 2 (`expectServer2` false) its bar and strip are left out.
 */
export function renderChart(hours: readonly HourCoverage[], expectServer2: boolean): string {
  const maxCount = Math.max(0, ...hours.map((h) => Math.max(h.line?.serv1 ?? 0, h.line?.serv2 ?? 0)));
  const axis = labelCell(`${formatCount(maxCount)}<br>tweets`, ';vertical-align:top');
  const strip = (label: string, missing: (h: HourCoverage) => readonly MinuteRange[] | null, extra = '') =>
    `<tr>${labelCell(label, extra)}${hours.map((h) => stripCell(h, missing(h))).join('')}</tr>`;
  const rows = [
    `<tr height="${BAR_MAX_PX}">${axis}${hours.map((h) => barsCell(h, maxCount, expectServer2)).join('')}</tr>`,
    `<tr><td></td><td colspan="${hours.length}" height="1" bgcolor="#a0aec0" style="font-size:0;line-height:0"></td></tr>`,
    `<tr>${labelCell('hour')}${hours.map(hourLabelCell).join('')}</tr>`,
    strip('server 1', (h) => h.missing1),
    ...(expectServer2 ? [strip('server 2', (h) => h.missing2), strip('merged', () => null, ';font-weight:bold')] : []),
  ];
  // Fixed column widths keep the strips under their bars in every client.
  const cols = `<col width="64">${`<col width="${COLUMN_PX}">`.repeat(hours.length)}`;
  return (
    `<table ${LAYOUT} data-chart="tweets-per-hour" style="font:11px Arial,Helvetica,sans-serif">${cols}${rows.join('')}</table>` +
    renderLegend(expectServer2)
  );
}

function legendItem(color: string, text: string): string {
  return `<td width="12"></td>${block(12, 12, color)}<td style="padding-left:4px;color:#4a5568;white-space:nowrap">${text}</td>`;
}

function renderLegend(expectServer2: boolean): string {
  const items: Array<[string, string]> = expectServer2
    ? [
        [CHART_COLORS.server1, 'server 1 tweets'],
        [CHART_COLORS.server2, 'server 2 tweets'],
        [CHART_COLORS.covered, 'covered'],
        [CHART_COLORS.oneServer, 'one server only'],
      ]
    : [
        [CHART_COLORS.server1, 'server 1 tweets'],
        [CHART_COLORS.covered, 'covered'],
      ];
  items.push([CHART_COLORS.missing, 'missing'], [CHART_COLORS.unpublished, 'not published']);
  return (
    `<table ${LAYOUT} style="margin-top:10px;font:12px Arial,Helvetica,sans-serif"><tr>` +
    items.map(([color, text]) => legendItem(color, text)).join('') +
    `</tr></table>`
  );
}
