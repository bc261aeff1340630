import { createHash, randomBytes } from 'node:crypto';

/** One stored version of a fake OSF file. */
export interface OsfStoredVersion {
  bytes: Buffer;
  sha256: string;
  md5: string;
  modifiedMs: number;
}

/** A folder of the fake osfstorage tree; the root has ID '' and no parent. */
export interface OsfFolderNode {
  kind: 'folder';
  id: string;
  name: string;
  parentId: string | null;
}

/** A file of the fake osfstorage tree with its versions, oldest first. */
export interface OsfFileNode {
  kind: 'file';
  id: string;
  name: string;
  parentId: string;
  createdMs: number;
  versions: OsfStoredVersion[];
}

/** Any node of the fake osfstorage tree. */
export type OsfNode = OsfFolderNode | OsfFileNode;

/** The in-memory osfstorage tree of the fake OSF: nodes by ID, as WaterButler addresses them (reference D.2). */
export class OsfStorage {
  readonly #nodes = new Map<string, OsfNode>([['', { kind: 'folder', id: '', name: '', parentId: null }]]);

  constructor(private readonly now: () => number) {}

  /** The node with WaterButler ID `id` ('' is the root). */
  node(id: string): OsfNode | undefined {
    return this.#nodes.get(id);
  }

  /** The children of a folder, in creation order. */
  children(folderId: string): OsfNode[] {
    return [...this.#nodes.values()].filter((node) => node.parentId === folderId);
  }

  /** The child of `folderId` named `name` of `kind` (osfstorage lets a file and a folder share a name). */
  child<K extends OsfNode['kind']>(folderId: string, name: string, kind: K): Extract<OsfNode, { kind: K }> | undefined {
    return this.children(folderId).find((node) => node.kind === kind && node.name === name) as
      | Extract<OsfNode, { kind: K }>
      | undefined;
  }

  /** The path by names, `/2026/11/` for a folder and `/2026/11/x.txt` for a file. */
  materialized(node: OsfNode): string {
    const names: string[] = [];
    for (let cursor: OsfNode | undefined = node; cursor && cursor.parentId !== null; cursor = this.#nodes.get(cursor.parentId)) {
      names.unshift(cursor.name);
    }
    const path = `/${names.join('/')}`;
    return node.kind === 'folder' && path !== '/' ? `${path}/` : path;
  }

  /** Adds a folder under `parentId` with a fresh ID. */
  createFolder(parentId: string, name: string): OsfFolderNode {
    const folder: OsfFolderNode = { kind: 'folder', id: newId(), name, parentId };
    this.#nodes.set(folder.id, folder);
    return folder;
  }

  /** Adds a file under `parentId` with a fresh ID and `bytes` as its first version. */
  createFile(parentId: string, name: string, bytes: Buffer): OsfFileNode {
    const file: OsfFileNode = { kind: 'file', id: newId(), name, parentId, createdMs: this.now(), versions: [] };
    this.addVersion(file, bytes);
    this.#nodes.set(file.id, file);
    return file;
  }

  /** Adds a version unless the bytes equal the latest one (OSF keeps no duplicate versions); true if added. */
  addVersion(file: OsfFileNode, bytes: Buffer): boolean {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (file.versions.at(-1)?.sha256 === sha256) return false;
    file.versions.push({ bytes, sha256, md5: createHash('md5').update(bytes).digest('hex'), modifiedMs: this.now() });
    return true;
  }

  /** Bytes of every stored version, which is what the quota counts. */
  storedBytes(): number {
    let total = 0;
    for (const node of this.#nodes.values()) {
      if (node.kind === 'file') for (const version of node.versions) total += version.bytes.length;
    }
    return total;
  }

  /** Every file's versions by materialized path. */
  files(): Map<string, OsfStoredVersion[]> {
    const files = new Map<string, OsfStoredVersion[]>();
    for (const node of this.#nodes.values()) {
      if (node.kind === 'file') files.set(this.materialized(node), [...node.versions]);
    }
    return files;
  }
}

function newId(): string {
  return randomBytes(12).toString('hex');
}
