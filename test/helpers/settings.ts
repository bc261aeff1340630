import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSettings, type Settings } from '../../src/config/index.js';
import { writeJsonAtomic } from '../../src/platform/atomic-write.js';

export interface TestSetup {
  root: string;
  settings: Settings;
  /** The settings document as written to `configPath`. */
  doc: Record<string, unknown>;
  configPath: string;
  tokenFile: string;
}

type Overrides = Record<string, Record<string, unknown> | string>;

/**
 * Valid settings under `root` (folders created, a 0600 bearer token file), merged section by section with
 * `overrides`, written to `<root>/server_settings.json`.
 */
export async function testSettings(root: string, overrides: Overrides = {}): Promise<TestSetup> {
  const tokenFile = join(root, 'secrets', 'bearer_token');
  await mkdir(join(root, 'secrets'), { recursive: true, mode: 0o700 });
  await writeFile(tokenFile, 'test-bearer-token-1234567890\n', { mode: 0o600 });
  const paths = {
    spool: join(root, 'spool'),
    state: join(root, 'state'),
    staging: join(root, 'staging'),
    vault: join(root, 'vault'),
  };
  for (const dir of Object.values(paths)) await mkdir(dir, { recursive: true });
  const doc: Record<string, unknown> = {
    server: 'server1',
    paths,
    x_api: { base_url: 'http://127.0.0.1:9', bearer_token_file: tokenFile },
  };
  for (const [section, value] of Object.entries(overrides)) {
    const current = doc[section];
    doc[section] =
      typeof value === 'object' && current && typeof current === 'object' ? { ...current, ...value } : value;
  }
  const configPath = join(root, 'server_settings.json');
  await writeJsonAtomic(configPath, doc);
  return { root, settings: parseSettings(doc, configPath), doc, configPath, tokenFile };
}
