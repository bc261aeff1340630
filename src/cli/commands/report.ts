import { assertSecretFiles, loadSettings } from '../../config/index.js';
import { hoursOfLabelDay } from '../../contracts/index.js';
import { mailerFor, runDailyReport } from '../../notify/index.js';
import { systemClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import { refuseRoot, stringOption, timeOption, UsageError, type Command, type CommandContext } from '../command.js';

function dayOption(ctx: CommandContext): string | undefined {
  const day = stringOption(ctx.values, 'day');
  if (day === undefined) return undefined;
  try {
    hoursOfLabelDay(day, 'UTC');
  } catch {
    throw new UsageError(`Option --day must be a label date YYYY-MM-DD like 2026-11-21: got "${day}"`);
  }
  return day;
}

/** `sampled-stream report [--day YYYY-MM-DD] [--dry-run --out DIR] [--now ISO]`: the daily report (DESIGN 8, 10). */
export const reportCommand: Command = {
  name: 'report',
  summary: 'Send (or write) the daily report email',
  usage: 'sampled-stream report [--day YYYY-MM-DD] [--dry-run --out DIR] [--now ISO] [--config FILE]',
  options: {
    day: { type: 'string' },
    'dry-run': { type: 'boolean' },
    out: { type: 'string' },
    now: { type: 'string' },
  },
  async run(ctx) {
    const day = dayOption(ctx);
    const dryRun = ctx.values['dry-run'] === true;
    const outDir = stringOption(ctx.values, 'out');
    if (dryRun !== (outDir !== undefined)) {
      throw new UsageError('Options --dry-run and --out DIR go together: --dry-run --out DIR writes .eml and .html');
    }
    const nowMs = timeOption(ctx.values, 'now') ?? systemClock.now();
    refuseRoot(ctx, 'report');
    const settings = await loadSettings(ctx.configPath, 'report');
    await assertSecretFiles(settings, 'report');
    const log = createLogger(dryRun ? { level: 'warn' } : {}).child({ stage: 'report', server: settings.server });
    if (!dryRun && !settings.email.enabled) {
      ctx.stdout.write('email is disabled (email.enabled is false): nothing sent; use --dry-run --out DIR to see the report\n');
      return 0;
    }
    const outcome = await runDailyReport(
      { settings, nowMs, log, mailer: dryRun ? null : mailerFor(settings.email, { log }) },
      { ...(day === undefined ? {} : { day }), ...(outDir === undefined ? {} : { outDir }) },
    );
    if (outcome.sent?.ok === false) {
      ctx.stderr.write(`daily report ${outcome.day} not sent: ${outcome.sent.error.message}\n`);
      return 1;
    }
    ctx.stdout.write(`${outcome.subject}\n`);
    for (const file of outcome.files) ctx.stdout.write(`wrote ${file}\n`);
    if (outcome.sent?.ok) ctx.stdout.write(`sent to ${settings.email.to?.join(', ')}\n`);
    return 0;
  },
};
