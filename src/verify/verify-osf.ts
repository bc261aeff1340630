import type { OsfConnection } from '../osf/osf-connection.js';
import { OsfRequestError } from '../osf/osf-request-error.js';
import { listFolder, resolveFolder } from '../osf/remote-folders.js';
import { osfRemotePath } from '../osf/remote-path.js';
import type { VerifyProblem } from './verify-day.js';

/** Vault files that are published on OSF (DESIGN 7): the IDs files, the day report and SHA256SUMS. */
export function isPublishedOnOsf(name: string): boolean {
  return /_IDs\.txt\.xz$|_report\.txt$|_SHA256SUMS$/.test(name);
}

/**
 * The sha256 OSF reports for each file of day folder `YYYY/MM/DD/`, reached through the cached folder IDs
 * or by listing only that path's folders; null when the folder does not exist. A stale cached ID is
 * forgotten and the path looked up again once.
 */
export async function osfDayHashes(connection: OsfConnection, day: string): Promise<Map<string, string | null> | null> {
  const { client, folders } = connection;
  const segments = day.split('-');
  const remoteDir = segments.join('/');
  for (let attempt = 0; ; attempt++) {
    try {
      const folderId = await resolveFolder(client, folders, segments, false);
      if (folderId === null) return null;
      const children = await listFolder(client, folderId, remoteDir);
      return new Map(children.filter((child) => child.kind === 'file').map((child) => [child.name, child.sha256]));
    } catch (err) {
      if (!(err instanceof OsfRequestError) || err.status !== 404 || attempt > 0) throw err;
      folders.forget(segments[0]!);
    }
  }
}

/**
 * Compares the local sha256 of the day's published files with OSF's; `pendingPaths` (the outbox) marks
 * differences that a queued upload will fix.
 */
export function compareWithOsf(
  day: string,
  localHashes: ReadonlyMap<string, string>,
  remoteHashes: ReadonlyMap<string, string | null> | null,
  pendingPaths: ReadonlySet<string>,
): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  for (const [name, local] of localHashes) {
    if (!isPublishedOnOsf(name)) continue;
    const pending = pendingPaths.has(osfRemotePath(day, name)) ? ' (an upload is queued)' : '';
    const remote = remoteHashes?.get(name);
    if (remote === undefined) problems.push({ day, file: name, message: `missing on OSF${pending}` });
    else if (remote !== local) {
      problems.push({ day, file: name, message: `OSF sha256 ${remote ?? 'none'} differs from local ${local}${pending}` });
    }
  }
  return problems;
}
