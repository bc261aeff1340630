import { request, type IncomingHttpHeaders } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

/** Default fields of the stream daemon (DESIGN 4). */
export const DAEMON_QUERY =
  'tweet.fields=author_id,conversation_id,created_at,lang,source,referenced_tweets,text' +
  '&user.fields=created_at,location,name,protected,public_metrics,username,verified&expansions=author_id';

/** A raw HTTP view of one emulator response: every body chunk as it arrived, and how the body ended. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  chunks: Buffer[];
  /** 'end' after the final chunk; 'aborted' when the connection closed without it. */
  ended: Promise<'end' | 'aborted'>;
  body(): Buffer;
  /** Complete `\r\n`-terminated lines (heartbeats are empty strings). */
  lines(): string[];
  /** Complete JSON messages. */
  messages(): Record<string, any>[];
  close(): void;
}

/** Opens `path` on the emulator with no connection pooling; resolves once the status line arrived. */
export function openRaw(baseUrl: string, path: string, token: string | null = 'test-token'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, {
      agent: false,
      headers: token === null ? {} : { authorization: `Bearer ${token}` },
    });
    req.once('error', reject);
    req.once('response', (res) => {
      req.off('error', reject);
      req.on('error', () => undefined);
      res.on('error', () => undefined);
      const chunks: Buffer[] = [];
      let complete = false;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('end', () => {
        complete = true;
      });
      const ended = new Promise<'end' | 'aborted'>((done) => res.once('close', () => done(complete ? 'end' : 'aborted')));
      const body = () => Buffer.concat(chunks);
      const lines = () => {
        const text = body().toString('utf8');
        return text.slice(0, text.lastIndexOf('\r\n') + 2).split('\r\n').slice(0, -1);
      };
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        chunks,
        ended,
        body,
        lines,
        messages: () => lines().filter((line) => line !== '').map((line) => JSON.parse(line)),
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}

/** Polls `condition` every few milliseconds; throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(5);
  }
}
