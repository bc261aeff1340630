import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../config/index.js';
import type { Clock } from '../platform/clock.js';
import type { Registry } from 'prom-client';
import type { Logger } from '../platform/logger.js';
import { removeLeftoverTemporaries } from '../platform/atomic-write.js';
import { acquireLock } from '../platform/lock-file.js';
import { startMetricsServer } from '../platform/metrics-server.js';
import { runConnectionLoop } from './connection-loop.js';
import { streamUrl } from './connection.js';
import { MinuteWriter } from './minute-writer.js';
import { recoverParts } from './part-recovery.js';
import { SegmentRegistry } from './segment-registry.js';
import { PART_SUFFIX, minutePath, minuteStart } from '../contracts/spool-path.js';
import { readStreamState, STREAM_STATE_FILE, stateFileRepair, type StreamState } from '../contracts/index.js';
import { StatePersister } from './state-persister.js';
import { StreamStatus } from './stream-status.js';

/** Lock file in `<state>`: one daemon per server and spool. */
export const STREAM_LOCK_FILE = 'stream.lock';

/** The daemon's dependencies, built by the `stream` command (the composition root). */
/** Builds the registry served at `metrics.stream_listen`, read from the daemon's state at scrape time. */
export type StreamMetricsRegistry = (currentState: () => StreamState, now: () => number) => Registry;

export interface StreamDaemonDeps {
  settings: Settings;
  clock: Clock;
  log: Logger;
  /** Given by the CLI composition root, so the daemon imports no metrics code. */
  metricsRegistry: StreamMetricsRegistry;
}

function connectionName(xApi: Settings['x_api'], partition: number | null): string {
  return partition === null ? xApi.stream : `partition-${partition}`;
}

/**
 * The stream daemon, DESIGN 4: recovers what a crash left, then keeps one connection per stream (per
 * partition with sample10) writing into per-minute spool files until `signal` aborts; then closes the open
 * minute and writes stream.json. Rejects when the spool cannot be written.
 */
export async function runStreamDaemon(deps: StreamDaemonDeps, signal: AbortSignal): Promise<void> {
  const lock = await acquireLock(join(deps.settings.paths.state, STREAM_LOCK_FILE), { log: deps.log });
  const halt = new AbortController();
  const stop = () => halt.abort();
  signal.addEventListener('abort', stop, { once: true });
  if (signal.aborted) stop();
  try {
    await runLocked(deps, halt);
  } finally {
    signal.removeEventListener('abort', stop);
    await lock.release();
  }
}

async function runLocked(deps: StreamDaemonDeps, halt: AbortController): Promise<void> {
  const { settings, clock, log, metricsRegistry } = deps;
  const { spool: spoolDir, state: stateDir } = settings.paths;
  const { server, x_api: xApi } = settings;
  // A corrupt stream.json is set aside with an alert: refusing to start would lose the stream until someone
  // repairs the file, and the disk check of SegmentRegistry still keeps file names unique.
  const previous = await readStreamState(stateDir, stateFileRepair(stateDir, clock.now(), log, server));
  // A daemon killed while rewriting stream.json leaves its temporary file; only this daemon writes one.
  await removeLeftoverTemporaries(stateDir, STREAM_STATE_FILE);
  const segments = new SegmentRegistry(previous?.segments ?? {}, (minute, segment) => {
    const path = minutePath(spoolDir, server, minute, segment);
    return existsSync(path) || existsSync(path + PART_SUFFIX);
  });
  // Before anything new is written, so a recovered file keeps its own name.
  const recovery = await recoverParts({ spoolDir, server, segments, log });
  const partitions = xApi.stream === 'sample10' ? xApi.partitions : [null];
  const status = new StreamStatus({ server, nowMs: clock.now(), previous, connections: partitions.length });
  status.recordTruncated(recovery.droppedLines);

  let fatal: Error | null = null;
  const fail = (err: Error) => {
    fatal ??= err;
    halt.abort();
  };
  const writer = new MinuteWriter({
    clock,
    log,
    spoolDir,
    server,
    segments,
    onSegmentClaimed: () => persister.request(),
    onSpoolFull: (full) => {
      status.recordSpoolFull(full ? clock.now() : null);
      persister.request();
    },
    onFatal: fail,
  });
  const currentState = (): StreamState => {
    const nowMs = clock.now();
    const watermarkMs = Math.min(writer.oldestUnclosedMs() ?? Number.POSITIVE_INFINITY, minuteStart(nowMs));
    return status.snapshot(nowMs, watermarkMs, segments.snapshot(nowMs));
  };
  const persister = new StatePersister({ clock, log, stateDir, snapshot: currentState });
  await persister.flush();
  const listen = settings.metrics.stream_listen;
  const metrics = listen ? await startMetricsServer(listen, metricsRegistry(currentState, () => clock.now()), log) : null;
  const sample10Partitions = partitions[0] === null ? undefined : partitions;
  log.info({ stream: xApi.stream, partitions: sample10Partitions, baseUrl: xApi.base_url }, 'stream daemon started');

  const loops = partitions.map((partition) =>
    runConnectionLoop(
      {
        clock,
        log: log.child({ conn: connectionName(xApi, partition) }),
        endpoint: { url: streamUrl(xApi, partition), tokenFile: xApi.bearer_token_file },
        connection: connectionName(xApi, partition),
        partition,
        server,
        stallTimeoutMs: xApi.stall_timeout_s * 1000,
        writer,
        status,
        onStateChange: () => persister.request(),
      },
      halt.signal,
    ).catch(fail),
  );
  await Promise.all([...loops, writer.run(halt.signal), persister.run(halt.signal)]);

  await writer.close();
  await persister.flush();
  await metrics?.close();
  if (fatal) {
    log.error({ err: fatal }, 'stream daemon stopped: the spool cannot be written');
    throw fatal;
  }
  log.info('stream daemon stopped');
}
