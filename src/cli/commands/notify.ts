import { ConfigError, loadSettings, type Settings } from '../../config/index.js';
import { daemonStoppedMail, mailerFor, testMail, unitFailedMail, type OutgoingMail } from '../../notify/index.js';
import { systemClock } from '../../platform/clock.js';
import { createCommandLogger } from '../../platform/logger.js';
import { readStreamState } from '../../contracts/index.js';
import { refuseRoot, stringOption, UsageError, type Command, type CommandContext } from '../command.js';

const EVENTS = ['daemon-stopped', 'unit-failed', 'test'] as const;
type NotifyEvent = (typeof EVENTS)[number];

function required(ctx: CommandContext, event: NotifyEvent, name: string): string {
  const value = stringOption(ctx.values, name);
  if (value === undefined) throw new UsageError(`notify ${event} needs --${name}`);
  return value;
}

function eventOf(ctx: CommandContext): NotifyEvent {
  const [event, ...extra] = ctx.positionals;
  if (event === undefined || extra.length > 0 || !(EVENTS as readonly string[]).includes(event)) {
    throw new UsageError(`notify takes one event, one of ${EVENTS.join(', ')}: got ${JSON.stringify(ctx.positionals)}`);
  }
  return event as NotifyEvent;
}

async function mailFor(ctx: CommandContext, event: NotifyEvent, settings: Settings): Promise<OutgoingMail | null> {
  if (event === 'test') return testMail(settings.server, systemClock.now());
  if (event === 'unit-failed') return unitFailedMail(settings.server, required(ctx, event, 'unit'));
  const result = required(ctx, event, 'result');
  // systemd leaves EXIT_STATUS unset when the process never ran, so a missing status is not an error.
  const status = stringOption(ctx.values, 'status') || 'unknown';
  if (result === 'success') return null;
  return daemonStoppedMail(settings.server, result, status, await readStreamState(settings.paths.state).catch(() => null));
}

/** `sampled-stream notify <event>`: daemon-stopped (ExecStopPost), unit-failed (OnFailure=) and test (DESIGN 8). */
export const notifyCommand: Command = {
  name: 'notify',
  summary: 'Send a one-off notification (daemon-stopped, unit-failed, test)',
  usage:
    'sampled-stream notify daemon-stopped --result R --status S | notify unit-failed --unit U | notify test [--config FILE]',
  options: {
    result: { type: 'string', valueName: 'R', description: "daemon-stopped: systemd's $SERVICE_RESULT; 'success' sends nothing" },
    status: { type: 'string', valueName: 'S', description: "daemon-stopped: systemd's $EXIT_STATUS", defaultText: 'unknown' },
    unit: { type: 'string', valueName: 'U', description: 'unit-failed: the failed unit (%i of sampled-stream-notify@.service)' },
  },
  allowPositionals: true,
  async run(ctx) {
    const event = eventOf(ctx);
    refuseRoot(ctx, 'notify');
    const settings = await loadSettings(ctx.configPath, 'any');
    const log = createCommandLogger(ctx).child({ stage: 'notify', server: settings.server, event });
    const mail = await mailFor(ctx, event, settings);
    if (mail === null) {
      log.info('daemon stopped cleanly; no mail');
      return 0;
    }
    const mailer = mailerFor(settings.email, { log });
    if (mailer === null) {
      if (event === 'test') {
        throw new ConfigError(ctx.configPath, [{ key: 'email.enabled', message: 'is false: set it to true to send mail' }]);
      }
      log.warn({ subject: mail.subject }, 'email disabled; notification only logged');
      return 0;
    }
    const result = await mailer.send(mail);
    if (result.ok) ctx.stdout.write(`sent: ${mail.subject}\n`);
    else ctx.stderr.write(`mail not sent: ${result.error.message}\n`);
    return result.ok || event !== 'test' ? 0 : 1;
  },
};
