import type { Clock } from '../platform/clock.js';
import { parseRetryAfter } from './next-attempt-delay.js';

/** Connection settings of the WaterButler v1 client (reference D.1-D.3). */
export interface WaterButlerOptions {
  /** `osf.base_url`, e.g. https://files.osf.io */
  baseUrl: string;
  projectId: string;
  /** The personal access token itself; it is only ever put in the Authorization header. */
  token: string;
  clock: Clock;
  /** Time allowed from sending the request (body included) to the response headers. @default 120_000 */
  responseTimeoutMs?: number;
  /** Time allowed to read the response body. @default 60_000 */
  bodyTimeoutMs?: number;
}

/** One WaterButler answer; status 0 means no HTTP answer and `error` says why. */
export interface WaterButlerResult {
  status: number;
  body: unknown;
  retryAfterMs: number | null;
  error: string | null;
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
    const url = new URL(uploadUrl, this.#options.baseUrl);
    const target = url.origin === this.#origin ? url.href : this.#origin + url.pathname + url.search;
    return this.#request('PUT', target, bytes);
  }

  async #request(method: 'GET' | 'PUT', url: string, body?: Uint8Array): Promise<WaterButlerResult> {
    const { token, responseTimeoutMs, bodyTimeoutMs, clock } = this.#options;
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(new Error(`no response within ${responseTimeoutMs} ms`)), responseTimeoutMs);
    try {
      const response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          'user-agent': 'sampled-stream',
          ...(body ? { 'content-type': 'application/octet-stream' } : {}),
        },
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
