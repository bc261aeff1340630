import type { AlertMail } from './alert-policy.js';
import type { ConditionName } from './conditions.js';
import type { OutgoingMail } from './mailer.js';
import { MINUTE_MS } from '../platform/time.js';

/** What each condition means and where to look first. */
const ADVICE: Record<ConditionName, { title: string; action: string }> = {
  silence: {
    title: 'no data from the stream',
    action: "Run 'sampled-stream status' and look at the stream daemon's journal (journalctl -u <stream unit>).",
  },
  auth: {
    title: 'X API authentication failed',
    action: 'Check the bearer token file (x_api.bearer_token_file) and the app in the X developer portal.',
  },
  'usage-cap': {
    title: 'X API usage cap exceeded',
    action: "Check the project's usage in the X developer portal; the daemon resumes by itself when the cap resets.",
  },
  'sync-backlog': {
    title: 'sync to server 1 is behind',
    action: "Run 'sampled-stream sync' by hand on server 2 and read its error; check the SFTP link to server 1.",
  },
  'sync-silence': {
    title: 'server 2 stopped syncing',
    action: "Check server 2 (its own alerts, 'sampled-stream status' there) and the SFTP link between the servers.",
  },
  'disk-low': {
    title: 'low disk space',
    action: 'Free space or grow the file system; the README lists what each folder keeps and for how long.',
  },
  'osf-failing': {
    title: 'uploads to OSF failing',
    action: "Run 'sampled-stream upload' by hand and read its error; check osf.token_file and the project's storage quota.",
  },
  'clock-skew': {
    title: 'clock skew',
    action: "Check time synchronisation (timedatectl status; systemd-timesyncd or chrony).",
  },
  'bad-input': {
    title: 'files set aside by hourly',
    action:
      "Look at <state>/quarantine/ (rejected/: malformed lines, with file, line and reason; foreign files, sha256 mismatches: 'sampled-stream sync --resend <minute>' on server 2 sends the kept copy again) and <staging>/late/ ('sampled-stream hourly --hour H --include-late' replays it).",
  },
};

const SUBJECT_DETAIL_CHARS = 100;

function shorten(text: string, chars: number): string {
  return text.length <= chars ? text : `${text.slice(0, chars - 3)}...`;
}

function minutesBetween(fromIso: string, nowMs: number): number {
  return Math.max(0, Math.round((nowMs - Date.parse(fromIso)) / MINUTE_MS));
}

/** The mail for an alert decision of `server`: subject with the condition, body with detail, times and advice. */
export function renderAlertMail(mail: AlertMail, server: string, nowMs: number): OutgoingMail {
  const { title, action } = ADVICE[mail.condition];
  const openMin = minutesBetween(mail.openedAt, nowMs);
  const subject =
    mail.kind === 'recovered'
      ? `sampled-stream ${server} recovered: ${title} (after ${openMin} min)`
      : `sampled-stream ${server} ${mail.kind === 'alert' ? 'ALERT' : 'STILL FAILING'}: ${title}: ${shorten(
          mail.detail,
          SUBJECT_DETAIL_CHARS,
        )}`;
  const lines =
    mail.kind === 'recovered'
      ? [`The condition "${mail.condition}" on ${server} has cleared after ${openMin} min.`, '', `Now: ${mail.detail}`]
      : [
          `Condition: ${mail.condition} (${title}) on ${server}`,
          `Open since: ${mail.openedAt} (${openMin} min)`,
          '',
          mail.detail,
          '',
          `What to do: ${action}`,
          '',
          'This mail repeats every email.alert_interval_min while the condition lasts; a "recovered" mail follows when it clears.',
        ];
  return { subject, text: `${lines.join('\n')}\n` };
}
