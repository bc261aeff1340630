import { assertSecretFiles, loadSettings } from '../../config/index.js';
import { hoursOfLabelDay } from '../../contracts/index.js';
import { mailerFor, runDailyReport } from '../../notify/index.js';
import { systemClock } from '../../platform/clock.js';
import { createCommandLogger } from '../../platform/logger.js';
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
    day: { type: 'string', valueName: 'YYYY-MM-DD', description: 'label date to report on', defaultText: 'the previous label date' },
    'dry-run': { type: 'boolean', description: 'write the report to --out instead of mailing it' },
    out: { type: 'string', valueName: 'DIR', description: 'with --dry-run: folder for the .eml and .html files' },
    now: { type: 'string', valueName: 'ISO', description: 'behave as if it were this time', defaultText: 'the current time' },
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
    const log = createCommandLogger(ctx, dryRun ? { level: 'warn' } : {}).child({ stage: 'report', server: settings.server });
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
