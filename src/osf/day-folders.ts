import { listFolder } from './remote-folders.js';
import type { OsfEntity } from './waterbutler-entity.js';
import type { WaterButler } from './waterbutler.js';

/**
 * The label-day folders `YYYY/MM/DD/` of a project as a reader (`download`) finds them: the root, year and
 * month listings are fetched once per instance, so N days of one month cost 3 + N requests (unauthenticated
 * OSF callers get about 100 an hour, reference D.1). Listing errors are OsfRequestError.
 */
export class OsfDayFolders {
  readonly #listings = new Map<string, OsfEntity[]>();

  constructor(private readonly client: WaterButler) {}

  /** The files of label day `YYYY-MM-DD` by name, or null when its folder does not exist. `fresh` re-lists the day. */
  async dayFiles(day: string, fresh = false): Promise<Map<string, OsfEntity> | null> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`Cannot list OSF day "${day}": it must be YYYY-MM-DD`);
    const segments = day.split('-');
    let folderId = '';
    for (let depth = 0; depth < segments.length; depth++) {
      const children = await this.#children(folderId, segments.slice(0, depth).join('/'), false);
      const folder = children.find((child) => child.kind === 'folder' && child.name === segments[depth]);
      if (folder === undefined) return null;
      folderId = folder.id;
    }
    const entries = await this.#children(folderId, segments.join('/'), fresh);
    return new Map(entries.filter((entry) => entry.kind === 'file').map((entry) => [entry.name, entry]));
  }

  async #children(folderId: string, remoteDir: string, fresh: boolean): Promise<OsfEntity[]> {
    const known = fresh ? undefined : this.#listings.get(folderId);
    if (known !== undefined) return known;
    const children = await listFolder(this.client, folderId, remoteDir);
    this.#listings.set(folderId, children);
    return children;
  }
}
