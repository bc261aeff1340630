import type { IncomingHttpHeaders } from 'node:http';
import type { InlineErrorV2 } from 'twitter-api-v2';
import type { ReconnectCause } from '../contracts/stream-state.js';
import { StreamSetupError } from './stream-errors.js';

/** Why a connection ended or failed; each class has its own backoff schedule and counter (DESIGN 4). */
export type FailureClass = ReconnectCause;

/** An HTTP refusal as classifyFailure() reads it. */
export interface HttpFailure {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

/**
 * A problem object of the API (twitter-api-v2's `InlineErrorV2`, plus the stream's own members), every member
 * `unknown`: it comes from the network and each use checks its type.
 */
type Problem = { [K in keyof InlineErrorV2]?: unknown } & { disconnect_type?: unknown; connection_issue?: unknown };

/** TLS failures: retrying fast does not fix a certificate, so they count as configuration problems. */
const TLS_CODES = /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT)/;

function typeEndsWith(problem: Problem, suffix: string): boolean {
  return typeof problem.type === 'string' && problem.type.endsWith(`/${suffix}`);
}

/** Problem objects of an API body: the top-level object and each of its `errors`. */
export function problemsOf(body: unknown): Problem[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const errors = (body as { errors?: unknown }).errors;
  const inner = Array.isArray(errors) ? errors.filter((e): e is Problem => e !== null && typeof e === 'object') : [];
  return [body as Problem, ...inner];
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/**
 * Operational disconnect (reference A.8): matched on `title`, on any `disconnect_type`, or on the `type`
 * path, never on the host, which has been both api.twitter.com and api.x.com.
 */
export function isOperationalDisconnect(message: unknown): boolean {
  return problemsOf(message).some(
    (p) =>
      p.title === 'operational-disconnect' ||
      typeof p.disconnect_type === 'string' ||
      typeEndsWith(p, 'operational-disconnect'),
  );
}

function isUsageCap(problems: Problem[]): boolean {
  return problems.some((p) => p.title === 'UsageCapExceeded' || typeEndsWith(p, 'usage-capped'));
}

function isTooManyConnections(problems: Problem[]): boolean {
  return problems.some((p) => p.connection_issue === 'TooManyConnections');
}

function classifyHttp(failure: HttpFailure): FailureClass {
  const { status } = failure;
  if (status >= 500) return 'http-5xx';
  const problems = problemsOf(parseBody(failure.body));
  if (status === 429) {
    // The status says "429" whatever the body; a usage cap must still raise its alert. Between a spent
    // request budget and a taken connection slot the headers decide first, as body formats have varied.
    if (isUsageCap(problems)) return 'usage-cap';
    if (failure.headers['x-rate-limit-remaining'] === '0') return 'rate-limit';
    if (isTooManyConnections(problems)) return 'too-many-connections';
    return 'rate-limit';
  }
  if (isUsageCap(problems)) return 'usage-cap';
  return 'config';
}

function isHttpFailure(x: HttpFailure | Error): x is HttpFailure {
  return typeof (x as Partial<HttpFailure>).status === 'number' && typeof (x as Partial<HttpFailure>).body === 'string';
}

/**
 * Maps a failed connection attempt to its class (DESIGN 4): an HTTP refusal by status, headers, then body;
 * a setup or TLS problem to 'config'; any other error (refused, reset, timeout, DNS) to 'network'.
 */
export function classifyFailure(failure: HttpFailure | Error): FailureClass {
  if (isHttpFailure(failure)) return classifyHttp(failure);
  if (failure instanceof StreamSetupError) return 'config';
  const code = (failure as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && TLS_CODES.test(code)) return 'config';
  return 'network';
}

/** The API's own explanation in an error body (`title: detail`), for logs and stream.json; never the request. */
export function apiMessageOf(body: string, fallback: string): string {
  const problems = problemsOf(parseBody(body));
  for (const p of problems) {
    const title = typeof p.title === 'string' ? p.title : undefined;
    const detail = typeof p.detail === 'string' ? p.detail : undefined;
    if (title || detail) return [title, detail].filter(Boolean).join(': ');
  }
  return fallback;
}
