import type { Clock } from '../platform/clock.js';
import { parseRetryAfter } from './next-attempt-delay.js';

/** Connection settings of the WaterButler v1 client (reference D.1-D.3). */
export interface WaterButlerOptions {
  /** `osf.base_url`, e.g. https://files.osf.io */
  baseUrl: string;
  projectId: string;
  /** The personal access token itself, only ever put in the Authorization header; null for a public project. */
  token: string | null;
  clock: Clock;
  /** Time allowed from sending the request (body included) to the response headers. @default 120_000 */
  responseTimeoutMs?: number;
  /** Time allowed to read the response body (for a download: between two chunks). @default 60_000 */
  bodyTimeoutMs?: number;
}

/** One WaterButler answer; status 0 means no HTTP answer and `error` says why. */
export interface WaterButlerResult {
  status: number;
  body: unknown;
  retryAfterMs: number | null;
  error: string | null;
}

/** One download; status 0 means no (complete) answer and `error` says why. */
export interface WaterButlerDownload {
  status: number;
  /** Bytes passed to the chunk callback. */
  bytes: number;
  retryAfterMs: number | null;
  error: string | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Carries an error of the download's chunk callback (e.g. a full disk) past the network error handling. */
class ChunkSinkError extends Error {
  constructor(cause: unknown) {
    super('download chunk callback failed', { cause });
  }
}

function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: string; message?: string } | undefined;
  const detail = cause?.code ?? cause?.message;
  return detail ? `${err.message}: ${detail}` : err.message;
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** HTTP-only WaterButler client for one osfstorage project; it decides nothing (see planUpload). */
export class WaterButler {
  readonly #options: Required<WaterButlerOptions>;
  readonly #origin: string;

  constructor(options: WaterButlerOptions) {
    this.#options = { responseTimeoutMs: 120_000, bodyTimeoutMs: 60_000, ...options };
    this.#origin = new URL(options.baseUrl).origin;
  }

  /** URL of a folder (`''` is the root); trailing slash included, as WaterButler requires for folders. */
  folderUrl(folderId: string): string {
    const base = this.#options.baseUrl.replace(/\/+$/, '');
    const project = encodeURIComponent(this.#options.projectId);
    return `${base}/v1/resources/${project}/providers/osfstorage/${folderId === '' ? '' : `${folderId}/`}`;
  }

  /** URL of a file by ID (no trailing slash). */
  fileUrl(fileId: string): string {
    return this.folderUrl('') + fileId;
  }

  /** `PUT <folder>/?kind=folder&name=` with an empty body: 201, or 409 if the name exists. */
  createFolder(parentId: string, name: string): Promise<WaterButlerResult> {
    return this.#request('PUT', `${this.folderUrl(parentId)}?kind=folder&name=${encodeURIComponent(name)}`);
  }

  /** `GET <folder>/`: the folder's children. */
  listFolder(folderId: string): Promise<WaterButlerResult> {
    return this.#request('GET', this.folderUrl(folderId));
  }

  /** `PUT <folder>/?kind=file&name=` with the bytes: 201, or 409 carrying the existing file. */
  uploadNew(folderId: string, name: string, bytes: Uint8Array): Promise<WaterButlerResult> {
    return this.#request('PUT', `${this.folderUrl(folderId)}?kind=file&name=${encodeURIComponent(name)}`, bytes);
  }

  /**
   * `PUT` to an existing file's upload link: 200 with the (possibly new) version. A link to another origin
   * than `osf.base_url` is replaced by the same path on ours, so the token never leaves the configured host.
   */
  uploadVersion(uploadUrl: string, bytes: Uint8Array): Promise<WaterButlerResult> {
    return this.#request('PUT', this.#onOurHost(uploadUrl), bytes);
  }

  /**
   * `GET` a file's download link (kept on our host, as for uploads), streaming the body into `onChunk`. OSF
   * answers with a redirect to a signed storage URL (reference D.3): it is followed once, without the token,
   * which the signed URL does not need and another host must not see. Errors thrown by `onChunk` propagate.
   */
  async download(downloadUrl: string, onChunk: (chunk: Uint8Array) => Promise<void>): Promise<WaterButlerDownload> {
    const { responseTimeoutMs, bodyTimeoutMs, clock } = this.#options;
    const controller = new AbortController();
    const abortAfter = (ms: number, why: string) => setTimeout(() => controller.abort(new Error(why)), ms);
    let timer = abortAfter(responseTimeoutMs, `no response within ${responseTimeoutMs} ms`);
    let bytes = 0;
    try {
      const url = this.#onOurHost(downloadUrl);
      const init = { redirect: 'manual', signal: controller.signal } as const;
      let response = await fetch(url, { ...init, headers: this.#headers(true, false) });
      if (REDIRECTS.has(response.status)) {
        const location = response.headers.get('location');
        await response.body?.cancel();
        if (location === null) return { status: 0, bytes, retryAfterMs: null, error: `HTTP ${response.status} without a Location` };
        response = await fetch(new URL(location, url), { ...init, headers: this.#headers(false, false) });
      }
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), clock.now());
      if (response.status !== 200 || response.body === null) {
        await response.body?.cancel();
        return { status: response.status, bytes, retryAfterMs, error: null };
      }
      for await (const chunk of response.body) {
        clearTimeout(timer);
        timer = abortAfter(bodyTimeoutMs, `no data for ${bodyTimeoutMs} ms`);
        await onChunk(chunk).catch((cause: unknown) => {
          throw new ChunkSinkError(cause);
        });
        bytes += chunk.length;
      }
      return { status: 200, bytes, retryAfterMs, error: null };
    } catch (err) {
      if (err instanceof ChunkSinkError) throw err.cause;
      return { status: 0, bytes, retryAfterMs: null, error: describeFetchError(controller.signal.reason ?? err) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** `url` on `osf.base_url`'s origin: a link naming another host gets our host, so the token stays with us. */
  #onOurHost(link: string): string {
    const url = new URL(link, this.#options.baseUrl);
    return url.origin === this.#origin ? url.href : this.#origin + url.pathname + url.search;
  }

  #headers(withToken: boolean, binaryBody: boolean): Record<string, string> {
    const { token } = this.#options;
    return {
      ...(withToken && token !== null ? { authorization: `Bearer ${token}` } : {}),
      accept: 'application/json',
      'user-agent': 'sampled-stream',
      ...(binaryBody ? { 'content-type': 'application/octet-stream' } : {}),
    };
  }

  async #request(method: 'GET' | 'PUT', url: string, body?: Uint8Array): Promise<WaterButlerResult> {
    const { responseTimeoutMs, bodyTimeoutMs, clock } = this.#options;
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(new Error(`no response within ${responseTimeoutMs} ms`)), responseTimeoutMs);
    try {
      const response = await fetch(url, {
        method,
        headers: this.#headers(true, body !== undefined),
        body: method === 'PUT' ? (body ?? new Uint8Array(0)) : undefined,
        redirect: 'manual',
        signal: controller.signal,
      });
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new Error(`response body not read within ${bodyTimeoutMs} ms`)), bodyTimeoutMs);
      const text = await response.text();
      return {
        status: response.status,
        body: parseBody(text),
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), clock.now()),
        error: null,
      };
    } catch (err) {
      return { status: 0, body: null, retryAfterMs: null, error: describeFetchError(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
