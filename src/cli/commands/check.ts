import type { Command, CommandContext } from '../command.js';
import { ConfigError, loadSettings, type Settings } from '../../config/index.js';
import { formatCheckResults, pass, summarizeChecks, type CheckResult } from '../../health/check-result.js';
import { runChecks } from '../../health/run-checks.js';
import { systemClock } from '../../platform/clock.js';
import { createCommandLogger } from '../../platform/logger.js';

/** With --json, invalid settings are results too (one per key), so a script reads JSON whatever happens. */
async function settingsOrProblems(ctx: CommandContext): Promise<Settings | CheckResult[]> {
  try {
    return await loadSettings(ctx.configPath, 'check');
  } catch (err) {
    if (!(err instanceof ConfigError) || !ctx.values.json) throw err;
    return err.problems.map((p) => ({ name: 'settings', ok: false, detail: `${err.file}: '${p.key}' ${p.message}` }));
  }
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'Validate settings, permissions and folders, then reach every configured peer',
  usage: 'sampled-stream check [--json] [--config FILE]   (exit 0 all pass, 1 a check failed, 2 invalid settings)',
  options: {
    json: { type: 'boolean', description: 'print the results as JSON ("ok", "failed" and every check with its fix)' },
  },
  async run(ctx) {
    const settings = await settingsOrProblems(ctx);
    if (Array.isArray(settings)) {
      ctx.stdout.write(JSON.stringify(summarizeChecks(null, settings), null, 2) + '\n');
      return 2;
    }
    const log = createCommandLogger(ctx, { level: 'warn' }).child({ stage: 'check', server: settings.server });
    const results = [
      pass('settings', `${ctx.configPath} is valid (${settings.server})`),
      ...(await runChecks(settings, { clock: systemClock, log })),
    ];
    const report = summarizeChecks(settings.server, results);
    if (ctx.values.json) {
      ctx.stdout.write(JSON.stringify(report, null, 2) + '\n');
    } else {
      ctx.stdout.write(formatCheckResults(results));
      ctx.stdout.write(report.ok ? 'All checks passed.\n' : `${report.failed} check(s) failed.\n`);
    }
    return report.ok ? 0 : 1;
  },
};
