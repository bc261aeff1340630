import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Settings } from '../config/index.js';
import { readTokenFile } from '../platform/secret-file.js';
import { fieldsQuery } from '../xapi/fields.js';
import { apiMessageOf } from './classify.js';
import { connectPaced } from './paced-socket.js';
import { StreamHttpError, StreamSetupError } from './stream-errors.js';

/** Error bodies are read up to this size: enough for any problem JSON, bounded against a misbehaving peer. */
const MAX_ERROR_BODY_BYTES = 65_536;

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/** `User-Agent` of the stream connection, with our version (X asks clients to send one). */
export const USER_AGENT = `sampled-stream/${VERSION}`;

/** Where and with which token to open the stream. */
export interface StreamEndpoint {
  url: URL;
  /** Read on every connect, so a rotated token needs no restart. */
  tokenFile: string;
}

/** The stream URL of the settings, DESIGN 4: fields and expansions as comma lists, empty lists left out. */
export function streamUrl(xApi: Settings['x_api'], partition: number | null): URL {
  const base = xApi.base_url.endsWith('/') ? xApi.base_url : `${xApi.base_url}/`;
  const url = new URL(`2/tweets/${xApi.stream}/stream`, base);
  for (const [name, value] of Object.entries(fieldsQuery(xApi))) url.searchParams.set(name, value);
  if (xApi.backfill_minutes > 0) url.searchParams.set('backfill_minutes', String(xApi.backfill_minutes));
  if (partition !== null) url.searchParams.set('partition', String(partition));
  return url;
}

async function readToken(tokenFile: string): Promise<string> {
  try {
    return await readTokenFile('x_api.bearer_token_file', tokenFile);
  } catch (err) {
    throw new StreamSetupError(`Cannot connect without a bearer token: ${(err as Error).message}`, { cause: err });
  }
}

function readBounded(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_ERROR_BODY_BYTES) response.destroy();
    });
    const done = () => resolve(Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES).toString('utf8'));
    response.once('end', done);
    response.once('close', done);
    response.once('error', (err) => (size > 0 ? done() : reject(err)));
  });
}

/**
 * Opens the stream with Node's HTTP client (no compression; HTTPS verifies TLS) and resolves with the
 * response once the API answered 200. Rejects with StreamHttpError for any other status, StreamSetupError
 * when the token cannot be read, or the network error. Aborting `signal` destroys the socket.
 */
export async function openStream(endpoint: StreamEndpoint, signal: AbortSignal): Promise<IncomingMessage> {
  const { url } = endpoint;
  const send = url.protocol === 'https:' ? httpsRequest : url.protocol === 'http:' ? httpRequest : null;
  if (!send) throw new StreamSetupError(`Cannot connect to '${url.origin}': x_api.base_url must be an http(s) URL`);
  const token = await readToken(endpoint.tokenFile);
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${token}`, 'user-agent': USER_AGENT, accept: 'application/json' },
      // No agent: a socket of its own, read in batches (PacedSocket). The global keep-alive agent's idle timeout
      // re-arms a timer on every read, and a stream's socket is never reused anyway.
      createConnection: () => connectPaced(url),
      signal,
    });
    // A persistent listener: the socket can still fail (or be aborted) after the response arrived.
    request.on('error', reject);
    request.once('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status === 200) {
        resolve(response);
        return;
      }
      readBounded(response).then((body) => {
        reject(new StreamHttpError(status, body, response.headers, apiMessageOf(body, response.statusMessage ?? String(status))));
      }, reject);
    });
    request.end();
  });
}
