import { loadSettings } from '../../config/index.js';
import { systemClock } from '../../platform/clock.js';
import { createCommandLogger } from '../../platform/logger.js';
import { formatProblem, verifyVault } from '../../verify/index.js';
import { refuseRoot, stringOption, UsageError, type Command } from '../command.js';

/** `verify [--day D]`: xz -t, SHA256SUMS and OSF hashes of the vault (DESIGN 10). */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Verify vault files: xz -t, SHA256SUMS and the hashes on OSF',
  usage: 'sampled-stream verify [--day YYYY-MM-DD] [--config FILE]',
  options: { day: { type: 'string', valueName: 'YYYY-MM-DD', description: 'verify only this day folder of the vault', defaultText: 'every day' } },
  async run(ctx) {
    // Refused as root: verify updates the OSF folder cache, which the service user must keep owning.
    refuseRoot(ctx, 'verify');
    const day = stringOption(ctx.values, 'day');
    if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      throw new UsageError(`Option --day must be a date like 2026-11-22: got "${day}"`);
    }
    const settings = await loadSettings(ctx.configPath, 'upload');
    const log = createCommandLogger(ctx, { level: 'warn' }).child({ stage: 'verify' });
    const report = await verifyVault({ settings, clock: systemClock, log }, { day });
    for (const problem of report.problems) ctx.stdout.write(`${formatProblem(problem)}\n`);
    const osf = settings.osf.enabled ? ', OSF hashes compared' : ', OSF disabled';
    ctx.stdout.write(
      `verify: ${report.days.length} days, ${report.files} files, ${report.problems.length} problems${osf}\n`,
    );
    return report.problems.length === 0 ? 0 : 1;
  },
};
