/**
 * Clock skew against the X API's `Date` header (DESIGN 8). The header has whole seconds, so the server's
 * time lies in [Date, Date + 1 s); its middle is compared with the middle of our request's round trip.
 */
export function skewFromDateHeader(dateHeader: string | null, sentAtMs: number, receivedAtMs: number): number | null {
  const serverMs = dateHeader === null ? Number.NaN : Date.parse(dateHeader);
  if (Number.isNaN(serverMs)) return null;
  return Math.round(serverMs + 500 - (sentAtMs + receivedAtMs) / 2);
}

/** Options of measureClockSkew(). */
export interface ClockSkewOptions {
  /** Our clock (the system clock in production). */
  now: () => number;
  timeoutMs: number;
}

/** How far the X API's clock is ahead of ours (ms, negative = behind); null when unreachable or without Date. */
export async function measureClockSkew(baseUrl: string, options: ClockSkewOptions): Promise<number | null> {
  const sentAtMs = options.now();
  try {
    const response = await fetch(baseUrl, { method: 'HEAD', signal: AbortSignal.timeout(options.timeoutMs) });
    const receivedAtMs = options.now();
    await response.body?.cancel();
    return skewFromDateHeader(response.headers.get('date'), sentAtMs, receivedAtMs);
  } catch {
    return null;
  }
}
