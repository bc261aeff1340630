import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Settings } from '../../src/config/index.js';
import type { Clock } from '../../src/platform/clock.js';
import { runStreamDaemon } from '../../src/stream/index.js';
import { streamMetricsRegistry } from '../../src/metrics/index.js';
import { logSink, type LogSink } from './log-sink.js';
import { testSettings, type TestSetup } from './settings.js';

/** Shared by the stream daemon's cross-stage tests (test/stream-*.test.ts). */

/** One parsed spool line and the file it is in. */
export interface SpoolLineRecord {
  file: string;
  line: Record<string, unknown> & { data?: { id?: string; text?: string }; __meta: { retrieved_at: string; server: string } };
}

/** Every closed file and `.part` of a server's spool, and the parsed lines of the closed ones. */
export async function readSpool(spoolDir: string, server = 'server1') {
  const dir = join(spoolDir, server);
  const names = (await readdir(dir, { recursive: true }).catch(() => [] as string[])).filter((n) => n.includes('.jsonl')).sort();
  const closed = names.filter((n) => n.endsWith('.jsonl'));
  const bytes: Buffer[] = [];
  const lines: SpoolLineRecord[] = [];
  for (const file of closed) {
    const content = await readFile(join(dir, file));
    bytes.push(content);
    for (const text of content.toString('utf8').split('\n').filter(Boolean)) {
      lines.push({ file, line: JSON.parse(text) as SpoolLineRecord['line'] });
    }
  }
  return { names, closed, parts: names.filter((n) => n.endsWith('.part')), lines, bytes: Buffer.concat(bytes) };
}

/** IDs of the tweets in lines. */
export function tweetIds(lines: SpoolLineRecord[]): string[] {
  return lines.map((l) => l.line.data?.id).filter((id): id is string => typeof id === 'string');
}

/** Polls `condition` every 10 ms of real time until it holds; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Settings of a test daemon pointed at `baseUrl`, with `x_api` overrides applied after validation. */
export async function daemonSettings(
  root: string,
  baseUrl: string,
  xApi: Partial<Settings['x_api']> = {},
  server = 'server1',
): Promise<TestSetup> {
  const setup = await testSettings(root, { server, x_api: { base_url: baseUrl } });
  // Applied after validation so tests may use a stall timeout below the settings' 5 s minimum.
  return { ...setup, settings: { ...setup.settings, x_api: { ...setup.settings.x_api, ...xApi } } };
}

/** A daemon started by startDaemon(). */
export interface RunningDaemon {
  sink: LogSink;
  /** Settles when the daemon ends (after stop(), or on a fatal error). */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Runs the stream daemon in this process with a log sink. */
export function startDaemon(settings: Settings, clock: Clock): RunningDaemon {
  const sink = logSink();
  const controller = new AbortController();
  const done = runStreamDaemon({ settings, clock, log: sink.log, metricsRegistry: streamMetricsRegistry }, controller.signal);
  return {
    sink,
    done,
    async stop() {
      controller.abort();
      await done;
    },
  };
}

const REPO = join(import.meta.dirname, '..', '..');

/** A stream daemon run as its own process, `sampled-stream stream --config FILE`. */
export interface DaemonProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
  exit: Promise<[number | null, NodeJS.Signals | null]>;
}

/** Spawns `node --import tsx src/cli/main.ts stream --config <configPath>`, as systemd would run it. */
export function spawnDaemon(configPath: string): DaemonProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'stream', '--config', configPath], {
    cwd: REPO,
    env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, output: () => output, exit };
}
