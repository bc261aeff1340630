/** An HTTP answer of the emulator other than a stream: status, JSON body and extra headers. */
export interface ProblemResponse {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

/** One entry of a 400 answer's `errors` list. */
export interface ParameterError {
  parameters: Record<string, string[]>;
  message: string;
}

/** 401 for a missing or wrong bearer token (reference A.9, observed format). */
export function unauthorized(): ProblemResponse {
  return { status: 401, body: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' } };
}

/** 400 for bad query parameters, in the API's invalid-request shape (reference A.9). */
export function invalidRequest(errors: ParameterError[]): ProblemResponse {
  return {
    status: 400,
    body: {
      errors,
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

/** 404 for a path the emulator does not serve. */
export function notFound(): ProblemResponse {
  return { status: 404, body: { errors: [{ message: 'Sorry, that page does not exist', code: 34 }] } };
}

/** 405 for a method other than GET on a stream path. */
export function methodNotAllowed(): ProblemResponse {
  return {
    status: 405,
    body: { title: 'Method Not Allowed', type: 'about:blank', status: 405, detail: 'Method Not Allowed' },
    headers: { allow: 'GET' },
  };
}

/** 429 when the token already holds every allowed connection (reference A.9 (a)). */
export function tooManyConnections(): ProblemResponse {
  return {
    status: 429,
    body: {
      title: 'ConnectionException',
      detail: 'This stream is currently at the maximum allowed connection limit.',
      connection_issue: 'TooManyConnections',
      type: 'https://api.x.com/2/problems/streaming-connection',
    },
  };
}

/** 429 when connection requests exceed the rate limit (reference A.9 (b)). */
export function rateLimited(): ProblemResponse {
  return {
    status: 429,
    body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
  };
}

/** 503 while the emulated service is overloaded. */
export function serviceUnavailable(): ProblemResponse {
  return {
    status: 503,
    body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 },
  };
}

/** The in-stream operational-disconnect line, current variant (reference A.8), with its `\r\n`. */
export const OPERATIONAL_DISCONNECT_LINE = Buffer.from(
  JSON.stringify({
    errors: [
      {
        title: 'operational-disconnect',
        disconnect_type: 'UpstreamOperationalDisconnect',
        detail: 'This stream has been disconnected upstream for operational reasons.',
        type: 'https://api.x.com/2/problems/operational-disconnect',
      },
    ],
  }) + '\r\n',
);

/** The invalid JSON line of the `malformed` fault. */
export const MALFORMED_LINE = Buffer.from('{"data": {"id": "12\r\n');

/** The keep-alive heartbeat. */
export const HEARTBEAT = Buffer.from('\r\n');
