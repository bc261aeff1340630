import { access, constants, stat } from 'node:fs/promises';
import { freeBytesAt } from '../platform/free-space.js';
import type { Settings } from '../config/index.js';
import { secretFilesFor } from '../config/index.js';
import { assertSecretFileMode, SecretFileModeError } from '../platform/secret-file.js';
import { fail, pass, warn, type CheckResult } from './check-result.js';

const GIB = 1024 ** 3;

/** Every data folder exists, is a folder, is writable by this user, and has room. */
export async function checkFolders(settings: Settings): Promise<CheckResult[]> {
  return Promise.all(
    Object.entries(settings.paths).map(async ([key, dir]) => {
      const name = `paths.${key}`;
      try {
        if (!(await stat(dir)).isDirectory()) return fail(name, `${dir} is not a folder`, `replace it with a folder: mkdir -p ${dir}`);
        await access(dir, constants.W_OK | constants.R_OK | constants.X_OK);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return code === 'ENOENT'
          ? fail(name, `${dir} does not exist`, `mkdir -p ${dir} && chown sampled-stream: ${dir}`)
          : fail(name, `${dir} is not writable by this user (${code})`, `chown sampled-stream: ${dir}, and run check as the service user`);
      }
      const freeGb = (await freeBytesAt(dir)) / GIB;
      const detail = `${dir} writable, ${freeGb.toFixed(1)} GB free`;
      return freeGb < settings.alerts.min_free_gb
        ? warn(name, detail, `free space below alerts.min_free_gb (${settings.alerts.min_free_gb} GB)`)
        : pass(name, detail);
    }),
  );
}

/** Secret files exist and only their owner can read them. */
export async function checkSecretFiles(settings: Settings): Promise<CheckResult[]> {
  return Promise.all(
    secretFilesFor(settings, 'check').map(async ([key, path]) => {
      try {
        await assertSecretFileMode(key, path);
        await access(path, constants.R_OK);
        return pass(key, `${path} readable by this user only`);
      } catch (err) {
        const fix =
          err instanceof SecretFileModeError
            ? `run chmod 600 ${path}`
            : `make '${key}' name a regular file owned by the service user, mode 600`;
        return fail(key, (err as Error).message, fix);
      }
    }),
  );
}

export interface InstalledSchedulers {
  scheduler: boolean;
  timers: string[];
  cron: boolean;
}

/** Where the periodic jobs are enabled: the scheduler unit, timers, or a crontab (DESIGN 2). */
export async function findInstalledSchedulers(systemdDir = '/etc/systemd/system', cronFile = '/etc/cron.d/sampled-stream'): Promise<InstalledSchedulers> {
  const exists = (path: string) => access(path).then(() => true, () => false);
  const timers: string[] = [];
  for (const job of ['sync', 'hourly', 'report', 'watch']) {
    if (await exists(`${systemdDir}/timers.target.wants/sampled-stream-${job}.timer`)) timers.push(job);
  }
  return {
    scheduler: await exists(`${systemdDir}/multi-user.target.wants/sampled-stream-scheduler.service`),
    timers,
    cron: await exists(cronFile),
  };
}

/** Warns when jobs would run twice: the scheduler and the timers (or cron) both installed. */
export function checkSchedulerOverlap(installed: InstalledSchedulers): CheckResult {
  const name = 'scheduling';
  const others = [...(installed.timers.length > 0 ? [`timers (${installed.timers.join(', ')})`] : []), ...(installed.cron ? ['cron'] : [])];
  if (installed.scheduler && others.length > 0) {
    return warn(name, `the scheduler and ${others.join(' and ')} are both enabled: every job would run twice`, 'keep one: systemctl disable --now sampled-stream-scheduler, or disable the timers / remove /etc/cron.d/sampled-stream');
  }
  if (!installed.scheduler && others.length === 0) {
    return warn(name, 'no scheduler, timers or cron entry found for the periodic jobs', 'systemctl enable --now sampled-stream-scheduler (see README, Install)');
  }
  return pass(name, installed.scheduler ? 'scheduler service enabled' : `enabled: ${others.join(', ')}`);
}
