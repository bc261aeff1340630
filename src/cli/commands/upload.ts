import { assertSecretFiles, loadSettings } from '../../config/index.js';
import { systemClock } from '../../platform/clock.js';
import { createCommandLogger } from '../../platform/logger.js';
import { drainOutbox } from '../../osf/index.js';
import { refuseRoot, type Command } from '../command.js';

/** `upload`: drains the OSF outbox now, ignoring backoff (DESIGN 7, 10). */
export const uploadCommand: Command = {
  name: 'upload',
  summary: 'Drain the OSF upload outbox',
  usage: 'sampled-stream upload [--config FILE]',
  options: {},
  async run(ctx) {
    refuseRoot(ctx, 'upload');
    const settings = await loadSettings(ctx.configPath, 'upload');
    if (!settings.osf.enabled) {
      ctx.stdout.write('OSF is disabled (osf.enabled)\n');
      return 0;
    }
    await assertSecretFiles(settings, 'upload');
    const log = createCommandLogger(ctx).child({ stage: 'upload' });
    const result = await drainOutbox({ settings, clock: systemClock, log, retryNow: true });
    for (const alert of result.alerts) ctx.stdout.write(`alert ${alert.condition}: ${alert.message}\n`);
    ctx.stdout.write(`upload: ${result.uploaded.length} uploaded, ${result.failed} failed, ${result.pending} pending\n`);
    return result.failed > 0 || result.alerts.length > 0 ? 1 : 0;
  },
};
