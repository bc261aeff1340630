import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../platform/atomic-write.js';

/** Folders and settings of one demo run under `./demo-output/<time>/`. */
export interface DemoLayout {
  root: string;
  logs: string;
  osfStorage: string;
  /** Settings file per server. */
  configs: { server1: string; server2: string };
  /** Settings documents, as written. */
  docs: { server1: Record<string, unknown>; server2: Record<string, unknown> };
}

/** Short timings so a demo minute shows what a production day would. */
const DEMO_X_API = { stall_timeout_s: 5 };
const DEMO_HOURLY = { keep_spool_h: 1 };

/** Settings that differ from the demo's (the soak's, on its fast clock). */
export interface LayoutTuning {
  xApi?: Record<string, unknown>;
  hourly?: Record<string, unknown>;
}

function serverPaths(root: string, server: string) {
  const base = join(root, server);
  return {
    spool: join(base, 'spool'),
    state: join(base, 'state'),
    staging: join(base, 'staging'),
    vault: join(base, 'vault'),
  };
}

/**
 * Creates the demo folders, 0600 token files and both servers' settings: server 2 syncs through the `local`
 * transport into server 1's spool; server 1 publishes to the fake OSF.
 */
export async function createDemoLayout(
  root: string,
  urls: { xApi: string; osf: string; osfProject: string },
  tuning: LayoutTuning = {},
): Promise<DemoLayout> {
  const secrets = join(root, 'secrets');
  const logs = join(root, 'logs');
  const osfStorage = join(root, 'osf-storage');
  await mkdir(secrets, { recursive: true, mode: 0o700 });
  await mkdir(logs, { recursive: true });
  const bearer = join(secrets, 'bearer_token');
  const osfToken = join(secrets, 'osf_token');
  await writeFile(bearer, 'demo-bearer-token\n', { mode: 0o600 });
  await writeFile(osfToken, 'demo-osf-token\n', { mode: 0o600 });
  const paths1 = serverPaths(root, 'server1');
  const paths2 = serverPaths(root, 'server2');
  for (const dir of [...Object.values(paths1), ...Object.values(paths2)]) await mkdir(dir, { recursive: true });
  const common = {
    x_api: { base_url: urls.xApi, bearer_token_file: bearer, ...(tuning.xApi ?? DEMO_X_API) },
    email: { enabled: false, from: 'sampled-stream@demo.invalid', to: ['maintainers@demo.invalid'] },
  };
  const server1 = {
    server: 'server1',
    paths: paths1,
    ...common,
    hourly: tuning.hourly ?? DEMO_HOURLY,
    osf: { enabled: true, base_url: urls.osf, project_id: urls.osfProject, token_file: osfToken },
  };
  const server2 = {
    server: 'server2',
    paths: paths2,
    ...common,
    sync: { transport: 'local', local_target: paths1.spool },
  };
  const configs = { server1: join(root, 'server1.settings.json'), server2: join(root, 'server2.settings.json') };
  await writeJsonAtomic(configs.server1, server1);
  await writeJsonAtomic(configs.server2, server2);
  return { root, logs, osfStorage, configs, docs: { server1, server2 } };
}
