import type { FolderCache } from './folder-cache.js';
import { OsfRequestError } from './osf-request-error.js';
import { parseEntityBody, parseListingBody, type OsfEntity } from './waterbutler-entity.js';
import type { WaterButler } from './waterbutler.js';

/** Lists one folder's children; throws OsfRequestError unless WaterButler answers 200 with a listing. */
export async function listFolder(client: WaterButler, folderId: string, remoteDir: string): Promise<OsfEntity[]> {
  const result = await client.listFolder(folderId);
  const entities = result.status === 200 ? parseListingBody(result.body) : null;
  if (entities === null) throw new OsfRequestError(`list OSF folder "/${remoteDir}"`, result);
  return entities;
}

async function childFolderId(client: WaterButler, parentId: string, parentDir: string, name: string): Promise<string | null> {
  const children = await listFolder(client, parentId, parentDir);
  return children.find((child) => child.kind === 'folder' && child.name === name)?.id ?? null;
}

async function createFolder(client: WaterButler, parentId: string, parentDir: string, name: string): Promise<string> {
  const result = await client.createFolder(parentId, name);
  const remoteDir = parentDir === '' ? name : `${parentDir}/${name}`;
  if (result.status === 201) {
    const entity = parseEntityBody(result.body);
    if (entity?.kind === 'folder') return entity.id;
  }
  if (result.status === 409) {
    // A folder 409 carries no ID (reference D.4), so the parent is listed once to find it.
    const existing = await childFolderId(client, parentId, parentDir, name);
    if (existing !== null) return existing;
  }
  throw new OsfRequestError(`create OSF folder "/${remoteDir}"`, result);
}

/**
 * The ID of folder `segments` (e.g. ['2026', '11', '22']), from the cache or else by creating each missing
 * level (`create`) or by listing only its parents (lookup). Null when a level is missing and not created.
 * Never lists any folder off that path (DESIGN 7).
 */
export async function resolveFolder(
  client: WaterButler,
  cache: FolderCache,
  segments: readonly string[],
  create: boolean,
): Promise<string | null> {
  let parentId = '';
  for (let depth = 0; depth < segments.length; depth++) {
    const name = segments[depth]!;
    const parentDir = segments.slice(0, depth).join('/');
    const remoteDir = segments.slice(0, depth + 1).join('/');
    let folderId = cache.get(remoteDir) ?? null;
    if (folderId === null) {
      folderId = create
        ? await createFolder(client, parentId, parentDir, name)
        : await childFolderId(client, parentId, parentDir, name);
      if (folderId === null) return null;
      cache.set(remoteDir, folderId);
    }
    parentId = folderId;
  }
  return parentId;
}
