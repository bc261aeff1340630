import { assertSecretFiles, loadSettings } from '../../config/index.js';
import { systemClock } from '../../platform/clock.js';
import { createCommandLogger } from '../../platform/logger.js';
import { parseResendMinute, runSync } from '../../sync/index.js';
import { failureLine } from '../failure.js';
import { refuseRoot, stringOption, UsageError, type Command } from '../command.js';

/** `sampled-stream sync [--resend YYYY-MM-DDTHH-MM]` (DESIGN 5, 10): one sync run on server 2. */
export const syncCommand: Command = {
  name: 'sync',
  summary: "Push server 2's closed spool files to server 1",
  usage: 'sampled-stream sync [--resend YYYY-MM-DDTHH-MM] [--config FILE]',
  options: {
    resend: {
      type: 'string',
      valueName: 'YYYY-MM-DDTHH-MM',
      description: 'send the kept copy of this UTC minute again, replacing the copy on server 1',
    },
  },
  async run(ctx) {
    const resend = stringOption(ctx.values, 'resend');
    if (resend !== undefined) {
      try {
        parseResendMinute(resend);
      } catch (err) {
        throw new UsageError(`Option --resend: ${(err as Error).message}`);
      }
    }
    refuseRoot(ctx, 'sync');
    const settings = await loadSettings(ctx.configPath, 'sync');
    if (settings.server !== 'server2') {
      throw new UsageError(`Cannot run sync on ${settings.server}: it runs on server2 and pushes to server1 (see 'server')`);
    }
    await assertSecretFiles(settings, 'sync');
    const log = createCommandLogger(ctx).child({ stage: 'sync', server: settings.server });
    try {
      await runSync({ settings, clock: systemClock, log }, resend === undefined ? {} : { resend });
      return 0;
    } catch (err) {
      log.error({ err }, 'sync failed');
      ctx.stderr.write(`sampled-stream sync failed: ${failureLine(err)}\n`);
      return 1;
    }
  },
};
