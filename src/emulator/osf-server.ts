import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileAtomic } from '../platform/atomic-write.js';
import { fileEntity, folderEntity, versionEntities, type EntityContext } from './osf-entity.js';
import { OsfStorage, type OsfFileNode, type OsfFolderNode } from './osf-storage.js';

/** Options of the fake OSF (WaterButler v1, reference D.2-D.4). */
export interface FakeOsfOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** The only token accepted; null accepts any non-empty bearer token. @default null */
  token?: string | null;
  /** @default 'abc12' */
  projectId?: string;
  /** Storage quota over all stored versions; an upload beyond it gets 507. @default Infinity */
  quotaBytes?: number;
  /**
   * Answer an upload by name of a file that already exists by resetting the connection (socket.destroy)
   * instead of 409, as a proxy in front of WaterButler may do. @default false
   */
  resetOnExistingName?: boolean;
  /** Delay before every response. @default 0 */
  delayMs?: number;
  /** Also mirror the latest version of every file to `<storageDir>/<materialized path>` (the demo's output). */
  storageDir?: string;
  /** A public project: GET requests without an Authorization header are answered (listings, downloads). @default false */
  publicRead?: boolean;
}

/** A running fake OSF. */
export interface FakeOsf {
  /** Base URL, e.g. http://127.0.0.1:PORT (what `osf.base_url` points to). */
  url: string;
  projectId: string;
  close(): Promise<void>;
  /** The next `count` requests (default 1) answer `status` (429 with Retry-After: 1). */
  failNext(status: number, count?: number): void;
  /** The next upload response reports a wrong sha256. */
  corruptNextHash(): void;
  /** The next `times` downloads of files named `name` (Infinity: all) get one byte flipped in the body. */
  corruptDownloads(name: string, times?: number): void;
  /** The next `times` downloads of files named `name` send half the body, then drop the connection. */
  dropDownloads(name: string, times?: number): void;
  /** Stores `bytes` as a new version of the file at `materializedPath` ('/2026/11/22/x'), creating folders. */
  storeFile(materializedPath: string, bytes: Buffer): Promise<void>;
  /** Stored files by materialized path, e.g. '/2026/11/22/2026-11-22_06_IDs.txt.xz' -> versions (bytes, sha256, md5). */
  files(): Map<string, Array<{ bytes: Buffer; sha256: string; md5: string }>>;
  /** Every request with its status (0: the connection was reset). */
  requestLog(): Array<{ method: string; path: string; status: number }>;
}

interface Reply {
  /** 0: reset the connection instead of answering. */
  status: number;
  json?: unknown;
  bytes?: Buffer;
  headers?: Record<string, string>;
  /** Send only this many bytes of the body, then destroy the socket (a dropped connection). */
  dropAfter?: number;
}

const ROUTE = /^\/v1\/resources\/([^/]+)\/providers\/([^/]+)(\/.*)$/;
const NODE_PATH = /^\/([0-9a-f]+)(\/?)$/;
/** Where a download redirects to, like OSF's signed storage URLs: `/signed/<file id>/<version>?signature=`. */
const SIGNED_PATH = /^\/signed\/([0-9a-f]+)\/(\d+)$/;

function errorReply(status: number, message: string, headers?: Record<string, string>): Reply {
  return { status, json: { code: status, message }, headers };
}

const CONNECTION_RESET: Reply = { status: 0 };

function conflict(name: string, data: unknown): Reply {
  return {
    status: 409,
    json: { message: `Cannot complete action: file or folder "${name}" already exists in this location`, data },
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function hasBearer(headers: IncomingHttpHeaders, token: string | null): boolean {
  const match = /^Bearer (\S+)$/.exec(headers.authorization ?? '');
  return match !== null && (token === null || match[1] === token);
}

function flipHex(hex: string): string {
  return (hex[0] === '0' ? '1' : '0') + hex.slice(1);
}

/** True (and one use fewer) while `faults` has uses left for `name`. */
function takeFault(faults: Map<string, number>, name: string): boolean {
  const left = faults.get(name) ?? 0;
  if (left > 0) faults.set(name, left - 1);
  return left > 0;
}

/** A copy of `bytes` with its middle byte flipped (an empty body gains one byte). */
function corrupted(bytes: Buffer): Buffer {
  if (bytes.length === 0) return Buffer.from([0]);
  const copy = Buffer.from(bytes);
  copy[copy.length >> 1]! ^= 0x01;
  return copy;
}

/** Starts the fake OSF on loopback: WaterButler's paths, status codes and JSON shapes, storage in memory. */
export async function startFakeOsf(options: FakeOsfOptions = {}): Promise<FakeOsf> {
  const { port = 0, host = '127.0.0.1', token = null, projectId = 'abc12', quotaBytes = Infinity, delayMs = 0, publicRead = false, resetOnExistingName = false } = options;
  const storage = new OsfStorage(() => Date.now());
  const faults: number[] = [];
  const corruptions = new Map<string, number>();
  const drops = new Map<string, number>();
  const signingKey = randomBytes(16);
  let baseUrl: string;
  const log: Array<{ method: string; path: string; status: number }> = [];
  let corruptHash = false;
  let context: EntityContext;

  async function mirror(file: OsfFileNode): Promise<void> {
    if (options.storageDir === undefined) return;
    await writeFileAtomic(join(options.storageDir, storage.materialized(file)), file.versions.at(-1)!.bytes);
  }

  function uploaded(status: number, file: OsfFileNode): Reply {
    const sha256 = corruptHash ? flipHex(file.versions.at(-1)!.sha256) : undefined;
    corruptHash = false;
    return { status, json: { data: fileEntity(context, file, sha256) } };
  }

  function overQuota(incoming: number): boolean {
    return storage.storedBytes() + incoming > quotaBytes;
  }

  async function putIntoFolder(folder: OsfFolderNode, query: URLSearchParams, headers: IncomingHttpHeaders, body: Buffer): Promise<Reply> {
    const kind = query.get('kind') ?? 'file';
    const name = query.get('name');
    if (kind !== 'file' && kind !== 'folder') return errorReply(400, `Kind must be file, folder or unspecified (interpreted as file), not ${kind}`);
    if (!name) return errorReply(400, "Missing required parameter 'name'");
    if (kind === 'folder') {
      if (body.length > 0) return errorReply(413, 'Folder creation requests may not have a body');
      if (storage.child(folder.id, name, 'folder')) return conflict(name, {});
      return { status: 201, json: { data: folderEntity(context, storage.createFolder(folder.id, name)) } };
    }
    if (headers['content-length'] === undefined) return errorReply(411, 'Content-Length is required for file uploads');
    const existing = storage.child(folder.id, name, 'file');
    if (existing) return resetOnExistingName ? CONNECTION_RESET : conflict(name, fileEntity(context, existing));
    if (overQuota(body.length)) return errorReply(507, 'The quota on this osfstorage project has been exceeded');
    const file = storage.createFile(folder.id, name, body);
    await mirror(file);
    return uploaded(201, file);
  }

  async function putVersion(file: OsfFileNode, query: URLSearchParams, headers: IncomingHttpHeaders, body: Buffer): Promise<Reply> {
    if (query.has('name')) return errorReply(400, "'name' parameter doesn't apply to actions on files");
    const kind = query.get('kind') ?? 'file';
    if (kind === 'folder') return conflict(file.name, {});
    if (kind !== 'file') return errorReply(400, `Kind must be file, folder or unspecified (interpreted as file), not ${kind}`);
    if (headers['content-length'] === undefined) return errorReply(411, 'Content-Length is required for file uploads');
    if (overQuota(body.length)) return errorReply(507, 'The quota on this osfstorage project has been exceeded');
    if (storage.addVersion(file, body)) await mirror(file);
    return uploaded(200, file);
  }

  function signature(fileId: string, version: number): string {
    return createHmac('sha256', signingKey).update(`${fileId}/${version}`).digest('hex');
  }

  function fileBytes(file: OsfFileNode, bytes: Buffer): Reply {
    const corrupt = takeFault(corruptions, file.name);
    const drop = takeFault(drops, file.name);
    return {
      status: 200,
      bytes: corrupt ? corrupted(bytes) : bytes,
      headers: { 'content-type': 'application/octet-stream' },
      dropAfter: drop ? bytes.length >> 1 : undefined,
    };
  }

  /** `GET /signed/<id>/<version>?signature=`: the storage behind a download redirect; no token needed. */
  function signedDownload(pathname: string, query: URLSearchParams): Reply | null {
    const match = SIGNED_PATH.exec(pathname);
    if (match === null) return null;
    const denied: Reply = { status: 403, bytes: Buffer.from('AccessDenied') };
    const node = storage.node(match[1]!);
    const version = Number(match[2]);
    if (node?.kind !== 'file' || query.get('signature') !== signature(node.id, version)) return denied;
    const stored = node.versions[version - 1];
    return stored ? fileBytes(node, stored.bytes) : denied;
  }

  function get(node: OsfFileNode | OsfFolderNode, query: URLSearchParams): Reply {
    if (node.kind === 'folder') {
      const data = storage
        .children(node.id)
        .map((child) => (child.kind === 'file' ? fileEntity(context, child) : folderEntity(context, child)));
      return { status: 200, json: { data } };
    }
    if (query.has('meta')) return { status: 200, json: { data: fileEntity(context, node) } };
    if (query.has('versions') || query.has('revisions')) return { status: 200, json: { data: versionEntities(node) } };
    const wanted = query.get('version');
    const number = wanted === null ? node.versions.length : Number(wanted);
    const version = node.versions[number - 1];
    if (!version) return errorReply(404, `Version ${wanted} of ${node.name} not found`);
    // WaterButler proxies the bytes only with ?direct; otherwise it redirects to a signed storage URL (reference D.3).
    if (query.has('direct')) return fileBytes(node, version.bytes);
    return { status: 302, headers: { location: `${baseUrl}/signed/${node.id}/${number}?signature=${signature(node.id, number)}` } };
  }

  async function route(req: IncomingMessage, body: Buffer): Promise<Reply> {
    const fault = faults.shift();
    if (fault !== undefined) return errorReply(fault, 'Injected fault', fault === 429 ? { 'retry-after': '1' } : undefined);
    const url = new URL(req.url ?? '/', 'http://fake-osf');
    if (req.method === 'GET') {
      const signed = signedDownload(url.pathname, url.searchParams);
      if (signed !== null) return signed;
    }
    const anonymousRead = publicRead && req.method === 'GET' && req.headers.authorization === undefined;
    if (!anonymousRead && !hasBearer(req.headers, token)) {
      return { status: 401, json: { errors: [{ detail: 'Authentication credentials were not provided.' }], meta: { version: '2.0' } } };
    }
    const match = ROUTE.exec(url.pathname);
    if (!match || match[1] !== projectId || match[2] !== 'osfstorage') return errorReply(404, `Not found: ${url.pathname}`);
    const target = match[3]!;
    const nodeMatch = target === '/' ? null : NODE_PATH.exec(target);
    const node = target === '/' ? storage.node('') : nodeMatch ? storage.node(nodeMatch[1]!) : undefined;
    // Trailing slashes are significant: a folder without one, or a file with one, is not found (reference D.2).
    if (!node || (nodeMatch !== null && (node.kind === 'folder') !== (nodeMatch[2] === '/'))) {
      return errorReply(404, `Could not retrieve file or directory ${target}`);
    }
    if (req.method === 'GET') return get(node, url.searchParams);
    if (req.method === 'PUT') {
      return node.kind === 'folder'
        ? putIntoFolder(node, url.searchParams, req.headers, body)
        : putVersion(node, url.searchParams, req.headers, body);
    }
    return errorReply(405, `Method ${req.method} is not supported by the fake OSF`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const reply = await route(req, body);
    if (delayMs > 0) await sleep(delayMs);
    log.push({ method: req.method ?? '', path: req.url ?? '', status: reply.status });
    if (reply === CONNECTION_RESET) {
      req.socket.destroy();
      return;
    }
    const payload = reply.bytes ?? Buffer.from(reply.json === undefined ? '' : JSON.stringify(reply.json));
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=UTF-8',
      'x-waterbutler-request-id': randomUUID(),
      ...reply.headers,
      'content-length': String(payload.length),
    });
    if (reply.dropAfter === undefined) res.end(payload);
    else res.write(payload.subarray(0, reply.dropAfter), () => res.destroy());
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  baseUrl = url;
  context = { storage, projectId, providerUrl: `${url}/v1/resources/${projectId}/providers/osfstorage` };

  return {
    url,
    projectId,
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
    failNext(status, count = 1) {
      for (let i = 0; i < count; i++) faults.push(status);
    },
    corruptNextHash() {
      corruptHash = true;
    },
    corruptDownloads(name, times = 1) {
      corruptions.set(name, times);
    },
    dropDownloads(name, times = 1) {
      drops.set(name, times);
    },
    async storeFile(materializedPath, bytes) {
      const names = materializedPath.split('/').filter((part) => part !== '');
      let folderId = '';
      for (const name of names.slice(0, -1)) folderId = (storage.child(folderId, name, 'folder') ?? storage.createFolder(folderId, name)).id;
      const name = names.at(-1)!;
      const existing = storage.child(folderId, name, 'file');
      if (existing) storage.addVersion(existing, bytes);
      await mirror(existing ?? storage.createFile(folderId, name, bytes));
    },
    files: () => storage.files(),
    requestLog: () => [...log],
  };
}
