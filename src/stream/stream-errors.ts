import type { IncomingHttpHeaders } from 'node:http';

/** The API refused the stream connection (status >= 400); carries what classifyFailure() and the log need. */
export class StreamHttpError extends Error {
  override name = 'StreamHttpError';
  constructor(
    readonly status: number,
    /** The response body, cut at a bounded size. */
    readonly body: string,
    readonly headers: IncomingHttpHeaders,
    /** The API's own explanation (`title: detail`), or the status text. */
    readonly apiMessage: string,
  ) {
    super(`Cannot open the stream: the API answered ${status} (${apiMessage})`);
  }
}

/** Connecting cannot even start (unreadable token file, bad URL): a person must fix the setup. */
export class StreamSetupError extends Error {
  override name = 'StreamSetupError';
}
