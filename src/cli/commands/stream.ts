import type { Command } from '../command.js';
import { refuseRoot } from '../command.js';
import { assertSecretFiles, loadSettings } from '../../config/index.js';
import { systemClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import { runStreamDaemon } from '../../stream/index.js';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** `sampled-stream stream`: the stream daemon (DESIGN 4); runs until SIGTERM or SIGINT, then exits 0. */
export const streamCommand: Command = {
  name: 'stream',
  summary: 'Run the stream daemon: record the sampled stream into per-minute spool files',
  usage: 'sampled-stream stream [--config FILE]',
  options: {},
  async run(ctx) {
    refuseRoot(ctx, 'stream');
    const settings = await loadSettings(ctx.configPath, 'stream');
    await assertSecretFiles(settings, 'stream');
    const log = createLogger().child({ stage: 'stream', server: settings.server });
    const controller = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'stopping');
      controller.abort();
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
    try {
      await runStreamDaemon({ settings, clock: systemClock, log }, controller.signal);
      return 0;
    } finally {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    }
  },
};
