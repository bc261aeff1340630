import { createHash } from 'node:crypto';
import type { OsfFileNode, OsfFolderNode, OsfStorage } from './osf-storage.js';

/** What entity JSON needs besides the node: the storage (for paths), the project, and the provider URL. */
export interface EntityContext {
  storage: OsfStorage;
  projectId: string;
  /** `<base>/v1/resources/<project>/providers/osfstorage`, the base of every link. */
  providerUrl: string;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Python's isoformat() with microseconds, as WaterButler writes times. */
function pythonIso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000+00:00');
}

/** A file entity as WaterButler serializes it (reference D.4); `sha256` overrides the reported hash. */
export function fileEntity(context: EntityContext, file: OsfFileNode, sha256?: string): Record<string, unknown> {
  const latest = file.versions.at(-1)!;
  const path = `/${file.id}`;
  const url = `${context.providerUrl}${path}`;
  const modified = pythonIso(latest.modifiedMs);
  return {
    id: `osfstorage${path}`,
    type: 'files',
    attributes: {
      extra: {
        guid: null,
        version: file.versions.length,
        downloads: 0,
        checkout: null,
        latestVersionSeen: null,
        hashes: { md5: latest.md5, sha256: sha256 ?? latest.sha256 },
      },
      kind: 'file',
      name: file.name,
      path,
      provider: 'osfstorage',
      materialized: context.storage.materialized(file),
      etag: sha256Hex(`osfstorage::${file.versions.length}::${path}`),
      contentType: null,
      modified,
      modified_utc: modified,
      created_utc: pythonIso(file.createdMs),
      size: latest.bytes.length,
      sizeInt: latest.bytes.length,
      resource: context.projectId,
    },
    links: { move: url, upload: `${url}?kind=file`, delete: url, download: url },
  };
}

/** A folder entity as WaterButler serializes it (reference D.4). */
export function folderEntity(context: EntityContext, folder: OsfFolderNode): Record<string, unknown> {
  const path = folder.id === '' ? '/' : `/${folder.id}/`;
  const url = `${context.providerUrl}${path}`;
  return {
    id: `osfstorage${path}`,
    type: 'files',
    attributes: {
      extra: {},
      kind: 'folder',
      name: folder.name,
      path,
      provider: 'osfstorage',
      materialized: context.storage.materialized(folder),
      etag: sha256Hex('osfstorage::None'),
      size: null,
      sizeInt: null,
      resource: context.projectId,
    },
    links: { move: url, upload: `${url}?kind=file`, delete: url, new_folder: `${url}?kind=folder` },
  };
}

/** The `?versions=` listing of a file, newest first (reference D.3). */
export function versionEntities(file: OsfFileNode): Array<Record<string, unknown>> {
  return file.versions
    .map((version, index) => ({
      id: String(index + 1),
      type: 'file_versions',
      attributes: {
        extra: { user: { name: 'Fake OSF user', url: null }, downloads: 0, hashes: { md5: version.md5, sha256: version.sha256 } },
        version: String(index + 1),
        modified: pythonIso(version.modifiedMs),
        modified_utc: pythonIso(version.modifiedMs),
        versionIdentifier: 'version',
      },
    }))
    .reverse();
}
