import type { ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { loadSettings, type Settings } from '../config/index.js';
import { startFakeOsf, startXEmulator, type Fault } from '../emulator/index.js';
import { hourLabel } from '../contracts/index.js';
import { runHourly } from '../hourly/index.js';
import { runDailyReport } from '../notify/index.js';
import { drainOutbox, queueForOsf } from '../osf/index.js';
import { fixedClock, systemClock } from '../platform/clock.js';
import { pino } from 'pino';
import { createLogger, type Logger } from '../platform/logger.js';
import { HOUR_MS, readStreamState, type ConnectionGap } from '../contracts/index.js';
import { runSync } from '../sync/index.js';
import { createDemoLayout, type DemoLayout } from './demo-layout.js';
import { spawnStreamDaemon, stopProcess, waitFor } from './processes.js';
import { downloadAndHydrate } from './researcher-steps.js';
import { formatRecoveredGap, recoveredGaps, type Receipts } from './recovered-gaps.js';
import { MINUTE_MS } from '../platform/time.js';

/** How long the demo records, and when each daemon meets its fault (seconds after the emulator starts). */
export interface DemoTimings {
  collectS: number;
  syncEveryS: number;
  /** Server 1's connection stalls: its daemon notices after stall_timeout_s and reconnects. */
  server1StallAtS: number;
  /** Server 2's connection drops and the API answers 503 for a while: exponential backoff. */
  server2DropAtS: number;
  server2OutageS: number;
}

export const DEFAULT_DEMO_TIMINGS: DemoTimings = {
  collectS: 80,
  syncEveryS: 10,
  server1StallAtS: 20,
  server2DropAtS: 45,
  server2OutageS: 12,
};

const RATE_PER_S = 40;
/** IDs the demo hydrates from the hours it downloaded (issue 11). */
const HYDRATE_IDS = 1000;

/** The faults due at second `s` of the recording. Connection #1 is server 1's (started first), #2 server 2's. */
function faultsAt(s: number, t: DemoTimings): Array<Omit<Fault, 'atS'>> {
  if (s === t.server1StallAtS) return [{ kind: 'stall', durationS: 30, connection: 1 }];
  if (s === t.server2DropAtS) {
    return [
      { kind: '503', durationS: t.server2OutageS },
      { kind: 'drop', durationS: 0, connection: 2 },
    ];
  }
  return [];
}

async function listJsonl(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) found.push(...(await listJsonl(path)));
    else if (entry.isFile() && entry.name.endsWith('.jsonl')) found.push(path);
  }
  return found;
}

/** ID -> receipt time of every tweet in a server's closed spool files. */
async function readReceipts(spoolServerDir: string): Promise<Receipts> {
  const receipts = new Map<string, number>();
  for (const file of await listJsonl(spoolServerDir)) {
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      const message = JSON.parse(line) as { data?: { id?: string }; __meta?: { retrieved_at?: string } };
      const id = message.data?.id;
      const at = Date.parse(message.__meta?.retrieved_at ?? '');
      if (id && !Number.isNaN(at) && !receipts.has(id)) receipts.set(id, at);
    }
  }
  return receipts;
}

async function publish(settings: Settings, nowMs: number, log: Logger): Promise<string[]> {
  const clock = fixedClock(nowMs);
  const result = await runHourly({ settings, clock, log, onPublished: queueForOsf(settings, clock) });
  await drainOutbox({ settings, clock, log });
  return result.outcomes.map((o) => o.hour);
}

/**
 * `npm run demo` (DESIGN 11): the emulator, two daemons with a fault each, sync through the `local`
 * transport, `hourly` with a clock moved past the collected hours, the fake OSF and the daily report, all
 * under `<outputRoot>/<time>/`, which is left for inspection.
 */
export async function runDemo(outputRoot: string, out: Writable, timings: DemoTimings = DEFAULT_DEMO_TIMINGS): Promise<DemoLayout> {
  const say = (line: string) => out.write(`${line}\n`);
  const started = new Date();
  const root = join(outputRoot, started.toISOString().replace(/[:.]/g, '-'));
  const emulator = await startXEmulator({ ratePerS: RATE_PER_S, keepaliveS: 5, maxConnections: 2 });
  const osfToken = 'demo-osf-token';
  const osf = await startFakeOsf({ token: osfToken, storageDir: join(root, 'osf-storage') });
  const layout = await createDemoLayout(root, { xApi: emulator.url, osf: osf.url, osfProject: osf.projectId });
  const log = createLogger({ destination: pino.destination({ dest: join(layout.logs, 'demo.log'), sync: true }) });
  const [s1, s2] = await Promise.all([loadSettings(layout.configs.server1, 'hourly'), loadSettings(layout.configs.server2, 'sync')]);
  const daemons: ChildProcess[] = [];
  try {
    say(`Demo output: ${root}`);
    say(`X API emulator at ${emulator.url} (${RATE_PER_S} tweets/s), fake OSF at ${osf.url}`);
    daemons.push(spawnStreamDaemon(layout.configs.server1, join(layout.logs, 'server1-stream.log')));
    await waitFor(async () => emulator.activeConnections() >= 1, 'server 1 connecting');
    daemons.push(spawnStreamDaemon(layout.configs.server2, join(layout.logs, 'server2-stream.log')));
    await waitFor(async () => emulator.activeConnections() >= 2, 'server 2 connecting');
    say(`Recording for ${timings.collectS} s: server 1 stalls at ${timings.server1StallAtS} s, server 2 drops at ${timings.server2DropAtS} s and meets 503s for ${timings.server2OutageS} s`);
    const recordingStart = Date.now();
    for (let second = 1; second <= timings.collectS; second++) {
      await systemClock.sleep(recordingStart + second * 1000 - Date.now());
      for (const fault of faultsAt(second, timings)) emulator.injectFault(fault);
      if (second % timings.syncEveryS === 0) {
        await runSync({ settings: s2, clock: systemClock, log });
        say(`  ${second} s: synced server 2 to server 1`);
      }
    }
    await Promise.all(daemons.map((d) => stopProcess(d)));
    await runSync({ settings: s2, clock: systemClock, log });
    say('Daemons stopped, last sync done.');

    const [state1, state2] = await Promise.all([readStreamState(s1.paths.state), readStreamState(s2.paths.state)]);
    const receipts1 = await readReceipts(join(s1.paths.spool, 'server1'));
    const receipts2 = await readReceipts(join(s1.paths.spool, 'server2'));
    // The daemons' own start and stop are recorded as gaps too; the demo reports the injected faults.
    const faultGaps = (gaps: readonly ConnectionGap[] = []) => gaps.filter((g) => g.reason !== 'starting' && g.reason !== 'stopped');
    const gaps = [
      ...recoveredGaps('server1', faultGaps(state1?.gaps), receipts1, 'server2', receipts2),
      ...recoveredGaps('server2', faultGaps(state2?.gaps), receipts2, 'server1', receipts1),
    ];

    // The collected hours are published as if it were well past their deadline (hourly --now).
    const lastHourEnd = Math.ceil(Date.now() / HOUR_MS) * HOUR_MS;
    const publishAt = lastHourEnd + (s1.hourly.max_wait_min + 1) * MINUTE_MS;
    const hours = await publish(s1, publishAt, log);
    const labels = hours.map((h) => hourLabel(Date.parse(`${h}:00:00Z`), s1.hourly.output_timezone));
    say(`Published ${labels.map((l) => l.label).join(', ')} to ${s1.paths.vault} and the fake OSF (${osf.files().size} files)`);
    for (const day of new Set(labels.map((l) => l.date))) {
      const report = await runDailyReport({ settings: s1, nowMs: publishAt, log, mailer: null }, { day, outDir: root });
      for (const file of report.files) await rename(file, file.replace(`daily-report-${day}`, 'daily-report'));
      say(`Daily report: ${report.subject}`);
    }
    say(`Tweets: server1 ${receipts1.size}, server2 ${receipts2.size}, union ${new Set([...receipts1.keys(), ...receipts2.keys()]).size}`);
    for (const gap of gaps) say(formatRecoveredGap(gap));

    say(`As a researcher: downloading ${hours.join(', ')} from the fake OSF and hydrating ${HYDRATE_IDS} of its IDs against the emulator`);
    const researcher = await downloadAndHydrate(s1, { url: osf.url, projectId: osf.projectId, token: osfToken }, hours, root, HYDRATE_IDS, log);
    for (const line of researcher.lines) say(`  ${line}`);
    return layout;
  } finally {
    await Promise.all(daemons.map((d) => stopProcess(d)));
    await Promise.all([emulator.close(), osf.close()]);
  }
}
