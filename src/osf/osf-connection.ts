import type { Settings } from '../config/index.js';
import type { Clock } from '../platform/clock.js';
import { readTokenFile } from '../platform/secret-file.js';
import { FolderCache } from './folder-cache.js';
import { WaterButler } from './waterbutler.js';

/** A WaterButler client for the configured project, with its folder ID cache. */
export interface OsfConnection {
  client: WaterButler;
  folders: FolderCache;
}

/**
 * Reads the token (`osf.token_file`, mode-checked) and opens the configured project. Throws when
 * `osf.project_id` or `osf.token_file` is unset or the token file cannot be used.
 */
export async function openOsfConnection(settings: Settings, clock: Clock): Promise<OsfConnection> {
  const { project_id: projectId, token_file: tokenFile, base_url: baseUrl } = settings.osf;
  if (!projectId) throw new Error("Cannot use OSF: 'osf.project_id' is not set: add the project's ID to the settings");
  if (!tokenFile) throw new Error("Cannot use OSF: 'osf.token_file' is not set: add the path of the token file");
  const token = await readTokenFile('osf.token_file', tokenFile);
  return {
    client: new WaterButler({ baseUrl, projectId, token, clock }),
    folders: await FolderCache.load(settings.paths.state, baseUrl, projectId),
  };
}
