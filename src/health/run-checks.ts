import type { Settings } from '../config/index.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { CheckResult } from './check-result.js';
import { checkLzmaBuild } from './lzma-build.js';
import { checkFolders, checkSchedulerOverlap, checkSecretFiles, findInstalledSchedulers } from './local-checks.js';
import { checkClockSkew, checkOsf, checkSmtp, checkSync, checkXApi } from './peer-checks.js';

/** What `check` needs besides the settings. */
export interface CheckDeps {
  clock: Clock;
  log: Logger;
  /** Where systemd units are enabled. @default '/etc/systemd/system' */
  systemdDir?: string;
  cronFile?: string;
}

/** Every check of DESIGN 10 that applies to this server's role and settings, local ones first. */
export async function runChecks(settings: Settings, deps: CheckDeps): Promise<CheckResult[]> {
  const results: CheckResult[] = [
    ...(await checkFolders(settings)),
    ...(await checkSecretFiles(settings)),
    checkSchedulerOverlap(await findInstalledSchedulers(deps.systemdDir, deps.cronFile)),
  ];
  if (settings.server === 'server1') results.push(await checkLzmaBuild());
  const peers: Array<Promise<CheckResult>> = [checkXApi(settings, deps.clock), checkClockSkew(settings, deps.clock)];
  if (settings.server === 'server2') peers.push(checkSync(settings, deps.log));
  if (settings.email.enabled) peers.push(checkSmtp(settings));
  if (settings.osf.enabled) peers.push(checkOsf(settings, deps.clock));
  return [...results, ...(await Promise.all(peers))];
}
