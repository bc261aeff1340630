import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Logger } from '../platform/logger.js';
import type { FolderCache } from './folder-cache.js';
import { OsfRequestError } from './osf-request-error.js';
import { classifyFailure, planUpload, type UploadPlan, type UploadResponse, type UploadStep } from './plan-upload.js';
import { resolveFolder } from './remote-folders.js';
import { splitRemotePath } from './remote-path.js';
import type { UploadRequest } from './outbox-types.js';
import { parseEntityBody, parseListingBody, type OsfEntity } from './waterbutler-entity.js';
import type { WaterButler, WaterButlerResult } from './waterbutler.js';

/** What is needed to upload one file. */
export interface UploadFileDeps {
  client: WaterButler;
  folders: FolderCache;
  log: Logger;
}

/** How one upload ended: done, or the failure plan (retry later, or alert). */
export type UploadOutcome = Extract<UploadPlan, { action: 'done' | 'retry' | 'alert' }>;

/**
 * create, (after no answer) list the folder, then (after a 409 or a listing with the file) new version:
 * more requests than that mean a misbehaving server.
 */
const MAX_REQUESTS = 3;

function fileOf(entity: OsfEntity | undefined | null): UploadResponse['entity'] {
  return entity && entity.kind === 'file' ? { sha256: entity.sha256, uploadUrl: entity.uploadUrl } : null;
}

function toResponse(step: UploadStep, result: WaterButlerResult, name: string): UploadResponse {
  const { status, retryAfterMs } = result;
  if (step === 'list') {
    const listed = (status === 200 ? parseListingBody(result.body) : null) ?? [];
    return { step, status, entity: fileOf(listed.find((e) => e.kind === 'file' && e.name === name)), retryAfterMs };
  }
  const entity = status === 200 || status === 201 || status === 409 ? parseEntityBody(result.body) : null;
  return { step, status, entity: fileOf(entity), retryAfterMs };
}

function send(client: WaterButler, plan: Extract<UploadPlan, { action: UploadStep }>, folderId: string, name: string, bytes: Buffer): Promise<WaterButlerResult> {
  if (plan.action === 'create') return client.uploadNew(folderId, name, bytes);
  if (plan.action === 'list') return client.listFolder(folderId);
  return client.uploadVersion(plan.uploadUrl, bytes);
}

async function readLocal(localPath: string): Promise<Buffer | UploadOutcome> {
  try {
    return await readFile(localPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return { action: 'retry', reason: `cannot read local file ${localPath}: ${code}`, retryAfterMs: null };
  }
}

/** One pass of an upload: find or create the folders, then create or version the file. */
async function uploadPass(
  deps: UploadFileDeps,
  remotePath: string,
  bytes: Buffer,
  localSha256: string,
): Promise<{ outcome: UploadOutcome; notFound: boolean }> {
  const { client, folders, log } = deps;
  const { folders: dir, name } = splitRemotePath(remotePath);
  let folderId: string;
  try {
    folderId = (await resolveFolder(client, folders, dir, true))!;
  } catch (err) {
    if (!(err instanceof OsfRequestError)) throw err;
    const failure = classifyFailure(err);
    return { outcome: { ...failure, reason: `${failure.reason}: ${err.message}` }, notFound: err.status === 404 };
  }
  let response: UploadResponse | null = null;
  for (let requests = 0; ; requests++) {
    const plan = planUpload(localSha256, response);
    if (plan.action === 'done' || plan.action === 'retry' || plan.action === 'alert') {
      if (plan.action === 'retry' && response?.step !== 'list' && (response?.status === 200 || response?.status === 201)) {
        log.error({ remotePath, localSha256, remoteSha256: response.entity?.sha256 ?? null }, 'OSF sha256 mismatch after upload');
      }
      return { outcome: plan, notFound: response?.status === 404 };
    }
    if (requests === MAX_REQUESTS) {
      const reason = `no upload result after ${MAX_REQUESTS} requests to OSF`;
      return { outcome: { action: 'retry', reason, retryAfterMs: null }, notFound: false };
    }
    if (plan.action === 'list') log.warn({ remotePath }, 'no answer from OSF to creating the file; looking for it in its folder');
    response = toResponse(plan.action, await send(client, plan, folderId, name, bytes), name);
  }
}

/**
 * Uploads the file as it is now (an amendment may have replaced it since it was queued), hashing exactly
 * the bytes sent, and succeeds only when OSF reports the same sha256 (DESIGN 7).
 */
export async function uploadFile(deps: UploadFileDeps, request: UploadRequest): Promise<UploadOutcome> {
  const { remotePath, localPath } = request;
  const bytes = await readLocal(localPath);
  if (!Buffer.isBuffer(bytes)) return bytes;
  const localSha256 = createHash('sha256').update(bytes).digest('hex');
  const first = await uploadPass(deps, remotePath, bytes, localSha256);
  if (!first.notFound) return first.outcome;
  // A 404 means a cached folder ID OSF no longer knows (the folder was deleted), at any depth of the path:
  // forget the whole cached path and walk it again once, which creates or re-finds each level.
  deps.log.warn({ remotePath }, 'OSF folder not found; looking the folders up again');
  deps.folders.forget(splitRemotePath(remotePath).folders[0]!);
  return (await uploadPass(deps, remotePath, bytes, localSha256)).outcome;
}
