import type { ConditionName, Observation } from './conditions.js';
import { MINUTE_MS } from '../platform/time.js';

/** An open condition as `<state>/alerts.json` keeps it. */
export interface OpenCondition {
  opened_at: string;
  /** When the last alert mail for it went out; null = none yet (the next run sends one). */
  last_mail_at: string | null;
  detail: string;
}

/** `<state>/alerts.json`: the open conditions and their mail times (DESIGN 3.2). */
export interface AlertState {
  format_version: 1;
  open: Partial<Record<ConditionName, OpenCondition>>;
}

/** 'alert' when a condition opens, 'reminder' while it stays open, 'recovered' when it clears. */
export type AlertMailKind = 'alert' | 'reminder' | 'recovered';

/** A mail the policy decided to send. */
export interface AlertMail {
  condition: ConditionName;
  kind: AlertMailKind;
  detail: string;
  openedAt: string;
}

/** The state before any condition was seen. */
export function emptyAlertState(): AlertState {
  return { format_version: 1, open: {} };
}

/**
 * Alert policy (DESIGN 8): a mail when a condition opens, one more per `intervalMin` while it stays open, and a
 * "recovered" mail when it clears. A condition without an observation (not checked this run) keeps its state.
 */
export function evaluateAlerts(
  state: AlertState,
  observations: readonly Observation[],
  nowMs: number,
  intervalMin: number,
): { state: AlertState; mails: AlertMail[] } {
  const now = new Date(nowMs).toISOString();
  const open = { ...state.open };
  const mails: AlertMail[] = [];
  for (const { condition, open: isOpen, detail } of observations) {
    const current = open[condition];
    if (!isOpen) {
      if (current !== undefined) {
        mails.push({ condition, kind: 'recovered', detail, openedAt: current.opened_at });
        delete open[condition];
      }
      continue;
    }
    const openedAt = current?.opened_at ?? now;
    const lastMailAt = current?.last_mail_at ?? null;
    const due = lastMailAt === null || nowMs - Date.parse(lastMailAt) >= intervalMin * MINUTE_MS;
    if (due) mails.push({ condition, kind: lastMailAt === null ? 'alert' : 'reminder', detail, openedAt });
    open[condition] = { opened_at: openedAt, last_mail_at: due ? now : lastMailAt, detail };
  }
  return { state: { format_version: 1, open }, mails };
}

/**
 * The state after `evaluateAlerts` as if `mail` had not been sent (the SMTP server failed), so the next run
 * tries it again instead of waiting a whole interval or forgetting a recovery.
 */
export function withMailUnsent(before: AlertState, after: AlertState, mail: AlertMail): AlertState {
  const open = { ...after.open };
  const previous = before.open[mail.condition];
  if (mail.kind === 'recovered') {
    if (previous !== undefined) open[mail.condition] = previous;
  } else {
    const current = open[mail.condition];
    if (current !== undefined) open[mail.condition] = { ...current, last_mail_at: previous?.last_mail_at ?? null };
  }
  return { format_version: 1, open };
}
