import { once } from 'node:events';
import { resolve } from 'node:path';
import { loadSettings } from '../../config/index.js';
import { createLogger } from '../../platform/logger.js';
import { schedulerMetrics } from '../../metrics/index.js';
import { startMetricsServer } from '../../platform/metrics-server.js';
import { jobTable, startScheduler } from '../../scheduler/index.js';
import { readLocalSyncState, readSyncState } from '../../contracts/sync-state.js';
import { refuseRoot, type Command } from '../command.js';

/** Resolves on the first SIGTERM or SIGINT; the handlers are in place when it returns. */
function stopSignal(): Promise<NodeJS.Signals> {
  const stop = new AbortController();
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  return Promise.race(signals.map((name) => once(process, name, { signal: stop.signal }).then(() => name))).finally(() =>
    stop.abort(),
  );
}

/** `sampled-stream scheduler` (DESIGN 2): runs this server's periodic jobs as child processes until SIGTERM. */
export const schedulerCommand: Command = {
  name: 'scheduler',
  summary: "Run this server's periodic jobs (node-cron)",
  usage: 'sampled-stream scheduler [--config FILE]',
  options: {},
  async run(ctx) {
    refuseRoot(ctx, 'scheduler');
    const configPath = resolve(ctx.configPath);
    const settings = await loadSettings(configPath, 'any');
    const log = createLogger().child({ stage: 'scheduler', server: settings.server });
    const stopped = stopSignal();
    const entryArgs = [...process.execArgv, process.argv[1] ?? ''];
    const metrics = schedulerMetrics(() =>
      settings.server === 'server1' ? readSyncState(settings.paths.spool) : readLocalSyncState(settings.paths.state),
    );
    const listen = settings.metrics.scheduler_listen;
    const server = listen === null ? null : await startMetricsServer(listen, metrics.registry, log);
    const scheduler = startScheduler({
      jobs: jobTable(settings, { execPath: process.execPath, entryArgs, configPath }),
      log,
      onOutcome: (outcome) => metrics.record(outcome, Date.now()),
    });
    const signal = await stopped;
    log.info({ signal }, 'stopping');
    await scheduler.stop();
    await server?.close();
    return 0;
  },
};
