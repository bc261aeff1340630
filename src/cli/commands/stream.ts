import type { Command } from '../command.js';
import { refuseRoot } from '../command.js';
import { assertSecretFiles, loadSettings } from '../../config/index.js';
import { systemClock, type Clock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import { streamMetricsRegistry } from '../../metrics/index.js';
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
    await streamUntilSignal(ctx.configPath, systemClock);
    return 0;
  },
};

/** Loads the settings and runs the daemon on `clock` until SIGTERM or SIGINT (the soak runs it on a fast clock). */
export async function streamUntilSignal(configPath: string, clock: Clock): Promise<void> {
  const settings = await loadSettings(configPath, 'stream');
  await assertSecretFiles(settings, 'stream');
  const log = createLogger().child({ stage: 'stream', server: settings.server });
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'stopping');
    controller.abort();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  try {
    await runStreamDaemon({ settings, clock, log, metricsRegistry: streamMetricsRegistry }, controller.signal);
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  }
}
