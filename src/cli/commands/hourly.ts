import { ConfigError, loadSettings } from '../../config/index.js';
import { fixedClock, systemClock } from '../../platform/clock.js';
import { createCommandLogger } from '../../platform/logger.js';
import { parseHourKey } from '../../contracts/index.js';
import { runHourly } from '../../hourly/index.js';
import { drainOutbox, queueForOsf, queueSumsForOsf } from '../../osf/index.js';
import { crashPointFromEnv } from '../test-crash-hooks.js';
import { refuseRoot, stringOption, timeOption, UsageError, type Command } from '../command.js';

/** `sampled-stream hourly [--hour YYYY-MM-DDTHH] [--include-late] [--now ISO]` (DESIGN 6, 10). */
export const hourlyCommand: Command = {
  name: 'hourly',
  summary: 'Ingest the spool and publish every ready hour (server 1)',
  usage: 'sampled-stream hourly [--hour YYYY-MM-DDTHH] [--include-late] [--now ISO]',
  options: {
    hour: {
      type: 'string',
      valueName: 'YYYY-MM-DDTHH',
      description: '(re)publish this UTC hour now, ready or not',
      defaultText: 'every ready hour',
    },
    'include-late': { type: 'boolean', description: "with --hour: replay the hour's late tweets (late/<hour>/) into it" },
    now: { type: 'string', valueName: 'ISO', description: 'behave as if it were this time, for catch-up, replays and tests', defaultText: 'the current time' },
  },
  async run(ctx) {
    refuseRoot(ctx, 'hourly');
    const hour = stringOption(ctx.values, 'hour');
    const includeLate = ctx.values['include-late'] === true;
    if (hour !== undefined) {
      try {
        parseHourKey(hour);
      } catch (err) {
        throw new UsageError(`Option --hour: ${(err as Error).message}`);
      }
    }
    if (includeLate && hour === undefined) {
      throw new UsageError('Option --include-late needs --hour YYYY-MM-DDTHH: name the hour to replay');
    }
    const nowMs = timeOption(ctx.values, 'now');
    const settings = await loadSettings(ctx.configPath, 'hourly');
    if (settings.server !== 'server1') {
      const message =
        'must be "server1" to run hourly (server 2 only collects and syncs; for a failover set it to "server1"): ' +
        `current value is "${settings.server}"`;
      throw new ConfigError(ctx.configPath, [{ key: 'server', message }]);
    }
    const root = createCommandLogger(ctx);
    const log = root.child({ stage: 'hourly' });
    const clock = nowMs === undefined ? systemClock : fixedClock(nowMs);
    const crashPoint = crashPointFromEnv(process.env);
    const onPublished = queueForOsf(settings, clock);
    const onSumsRewritten = queueSumsForOsf(settings, clock);
    await runHourly({ settings, clock, log, onPublished, onSumsRewritten, crashPoint }, { hour, includeLate });
    // Every hourly run also drains the OSF outbox (DESIGN 7); pending uploads never fail the run.
    if (settings.osf.enabled) await drainOutbox({ settings, clock, log: root.child({ stage: 'osf' }) });
    return 0;
  },
};
