import type { Command } from '../command.js';
import { loadSettings } from '../../config/index.js';
import { formatCheckResults } from '../../health/check-result.js';
import { runChecks } from '../../health/run-checks.js';
import { systemClock } from '../../platform/clock.js';
import { silentLogger } from '../../platform/logger.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Validate settings, permissions and folders, then reach every configured peer',
  usage: 'sampled-stream check [--config FILE]   (exit 0 all pass, 1 a check failed, 2 invalid settings)',
  options: {},
  async run(ctx) {
    const settings = await loadSettings(ctx.configPath, 'check');
    ctx.stdout.write(`PASS  settings  ${ctx.configPath} is valid (${settings.server})\n`);
    const results = await runChecks(settings, { clock: systemClock, log: silentLogger() });
    ctx.stdout.write(formatCheckResults(results));
    const failed = results.filter((r) => !r.ok).length;
    ctx.stdout.write(failed === 0 ? 'All checks passed.\n' : `${failed} check(s) failed.\n`);
    return failed === 0 ? 0 : 1;
  },
};
