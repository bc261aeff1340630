import type { StreamState } from '../contracts/index.js';
import type { OutgoingMail } from './mailer.js';

/** How many of the latest connection gaps the daemon-stopped mail lists. */
const GAPS_SHOWN = 5;

/** The parts of stream.json that tell what the daemon was doing when it stopped. */
function streamSummary(stream: StreamState | null): string {
  if (stream === null) return 'stream.json: not found (the daemon never wrote its state).';
  const summary = {
    updated_at: stream.updated_at,
    started_at: stream.started_at,
    connected: stream.connected,
    last_message_at: stream.last_message_at,
    watermark: stream.watermark,
    auth: stream.auth,
    usage_capped_at: stream.usage_capped_at ?? null,
    counters: stream.counters,
    latest_gaps: stream.gaps.slice(-GAPS_SHOWN),
  };
  return `Last state in stream.json:\n${JSON.stringify(summary, null, 2)}`;
}

/**
 * The mail for `notify daemon-stopped` (systemd's ExecStopPost, DESIGN 8); null when the daemon stopped with
 * result 'success' (a clean stop needs no mail).
 */
export function daemonStoppedMail(
  server: string,
  result: string,
  status: string,
  stream: StreamState | null,
): OutgoingMail | null {
  if (result === 'success') return null;
  const subject = `sampled-stream ${server}: stream daemon stopped: result ${result}, status ${status}`;
  const text = [
    `The stream daemon on ${server} stopped with result "${result}" and exit status "${status}".`,
    'systemd restarts it (Restart=always); a separate mail follows if systemd gives up.',
    '',
    streamSummary(stream),
    '',
  ].join('\n');
  return { subject, text };
}

/** The mail for `notify unit-failed` (systemd's OnFailure=: restarts exhausted, the unit stays down). */
export function unitFailedMail(server: string, unit: string): OutgoingMail {
  return {
    subject: `sampled-stream ${server}: ${unit} failed and systemd gave up restarting it`,
    text:
      `systemd gave up restarting ${unit} on ${server}; it stays down until someone acts.\n\n` +
      `Look at: systemctl status ${unit}; journalctl -u ${unit} -n 200\n` +
      `Start it again with: systemctl restart ${unit}\n`,
  };
}

/** The mail of `notify test`: proves that SMTP settings, TLS and AUTH work. */
export function testMail(server: string, nowMs: number): OutgoingMail {
  const at = new Date(nowMs).toISOString();
  return {
    subject: `sampled-stream ${server}: test mail`,
    text: `This is a test mail from sampled-stream on ${server}, sent at ${at}.\nAlerts and daily reports will reach you the same way.\n`,
  };
}
