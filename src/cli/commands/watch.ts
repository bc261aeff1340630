import { assertSecretFiles, loadSettings } from '../../config/index.js';
import { mailerFor, measureClockSkew, observeConditions, runWatch } from '../../notify/index.js';
import { systemClock } from '../../platform/clock.js';
import { createCommandLogger } from '../../platform/logger.js';
import { refuseRoot, timeOption, type Command } from '../command.js';

const SKEW_TIMEOUT_MS = 5_000;

/** `sampled-stream watch [--now ISO]`: evaluate every alert condition once and send due mails (DESIGN 8). */
export const watchCommand: Command = {
  name: 'watch',
  summary: 'Evaluate every alert condition once',
  usage: 'sampled-stream watch [--now ISO] [--config FILE]',
  options: {
    now: { type: 'string', valueName: 'ISO', description: 'evaluate as if it were this time (skips the clock-skew check)', defaultText: 'the current time' },
  },
  async run(ctx) {
    const fixedNowMs = timeOption(ctx.values, 'now');
    refuseRoot(ctx, 'watch');
    const settings = await loadSettings(ctx.configPath, 'watch');
    await assertSecretFiles(settings, 'watch');
    const log = createCommandLogger(ctx).child({ stage: 'watch', server: settings.server });
    const nowMs = fixedNowMs ?? systemClock.now();
    // With --now our clock is not the real one, so a skew against the X API would be meaningless.
    const measureSkew = () =>
      fixedNowMs === undefined
        ? measureClockSkew(settings.x_api.base_url, { now: systemClock.now, timeoutMs: SKEW_TIMEOUT_MS })
        : Promise.resolve(null);
    const result = await runWatch({
      settings,
      nowMs,
      log,
      mailer: mailerFor(settings.email, { log }),
      observe: () => observeConditions({ settings, nowMs, measureSkew }),
    });
    const open = result.observations.filter((o) => o.open).map((o) => o.condition);
    log.info({ open, mails: result.mails.length, skipped: result.skipped }, 'watch done');
    return 0;
  },
};
