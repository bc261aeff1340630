import { join } from 'node:path';
import type { Settings } from '../config/index.js';
import { stateFileRepair } from '../contracts/index.js';
import { LockBusyError, withLock } from '../platform/lock-file.js';
import type { Logger } from '../platform/logger.js';
import { renderAlertMail } from './alert-mail.js';
import { evaluateAlerts, withMailUnsent, type AlertMail } from './alert-policy.js';
import { readAlertState, writeAlertState } from './alert-state-file.js';
import type { Observation } from './conditions.js';
import type { Mailer } from './mailer.js';

/** What one `watch` run needs; `mailer` is null when email is disabled (mails are only logged). */
export interface WatchDeps {
  settings: Settings;
  nowMs: number;
  log: Logger;
  mailer: Mailer | null;
  observe: () => Promise<Observation[]>;
}

/** What a `watch` run saw and did. */
export interface WatchResult {
  observations: Observation[];
  mails: Array<AlertMail & { sent: boolean }>;
  /** True when another `watch` held the lock and this run did nothing. */
  skipped: boolean;
}

async function watchOnce(deps: WatchDeps): Promise<WatchResult> {
  const { settings, nowMs, log, mailer } = deps;
  const stateDir = settings.paths.state;
  const observations = await deps.observe();
  for (const o of observations.filter((x) => x.open)) log.warn({ condition: o.condition, detail: o.detail }, 'condition open');
  // A broken alerts.json must not stop alerting: it is set aside and alerting starts afresh.
  const before = await readAlertState(stateDir, stateFileRepair(stateDir, nowMs, log, settings.server));
  const decided = evaluateAlerts(before, observations, nowMs, settings.email.alert_interval_min);
  let state = decided.state;
  const mails: WatchResult['mails'] = [];
  for (const mail of decided.mails) {
    const message = renderAlertMail(mail, settings.server, nowMs);
    if (mailer === null) {
      log.info({ condition: mail.condition, kind: mail.kind, subject: message.subject }, 'alert (email disabled)');
      mails.push({ ...mail, sent: false });
      continue;
    }
    const result = await mailer.send(message);
    if (!result.ok) state = withMailUnsent(before, state, mail);
    mails.push({ ...mail, sent: result.ok });
  }
  await writeAlertState(stateDir, state);
  return { observations, mails, skipped: false };
}

/** One `watch` run (DESIGN 8): evaluate every condition, keep `<state>/alerts.json`, send the due mails. */
export async function runWatch(deps: WatchDeps): Promise<WatchResult> {
  try {
    return await withLock(join(deps.settings.paths.state, 'watch.lock'), () => watchOnce(deps));
  } catch (err) {
    if (!(err instanceof LockBusyError)) throw err;
    deps.log.info({ holderPid: err.holderPid }, 'another watch run is busy; skipping');
    return { observations: [], mails: [], skipped: true };
  }
}
