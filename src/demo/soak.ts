import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadSettings, type Settings } from '../config/index.js';
import { minutesDir, readStreamState, stagingHoursDir } from '../contracts/index.js';
import { startFakeOsf, startXEmulator, snowflakeTimeMs, type XEmulator } from '../emulator/index.js';
import { parseLedger } from '../emulator/send-ledger.js';
import { acceleratedClock, fixedClock, type Clock, type ClockOrigin } from '../platform/clock.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { cpuSeconds, peakRssMb } from '../platform/proc-stats.js';
import { SeededRandom } from '../platform/seeded-random.js';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../platform/time.js';
import { runSync, sentDir } from '../sync/index.js';
import { formatOrigin } from './clock-origin.js';
import { createDemoLayout, type DemoLayout } from './demo-layout.js';
import { entryArgs, isRunning, spawnLogged, stopProcess, waitFor } from './processes.js';
import { checkSoak, failedChecks, type Interval, type SampleSecond, type SoakFindings } from './soak-checks.js';

/** `npm run soak` (issue 12.4): the whole pipeline under a seeded fault schedule, on a clock running an hour a minute. */
export interface SoakOptions {
  /** Real minutes of recording. */
  minutes: number;
  seed: number;
  /** Tweets per real second on each connection: 600 is ten times the 1% sample's rate. */
  ratePerS: number;
  /** How much faster the soak's clock runs than the wall clock: 60 = an hour a minute. */
  speed: number;
  /** The run goes to `<outputRoot>/soak-<time>/`, left for inspection. */
  outputRoot: string;
}

export const DEFAULT_SOAK_OPTIONS: Omit<SoakOptions, 'minutes' | 'outputRoot'> = { seed: 1, ratePerS: 600, speed: 60 };

/** What a soak run found. */
export interface SoakResult {
  passed: boolean;
  failures: string[];
  findings: SoakFindings;
  faults: Record<string, number>;
  root: string;
}

const SERVERS = ['server1', 'server2'] as const;
type Server = (typeof SERVERS)[number];
const FAULT_KINDS = ['drop', 'stall', '429', '503', 'opdisconnect', 'split-utf8', 'kill-stream', 'kill-hourly', 'sync-outage'] as const;
type SoakFaultKind = (typeof FAULT_KINDS)[number];

/** One fault of the schedule, in real milliseconds after the recording started. */
interface PlannedFault {
  atMs: number;
  kind: SoakFaultKind;
  server: Server;
  durationMs: number;
}

/** Real time a stall lasts: longer than the soak's stall timeout, so the daemon reconnects. */
const STALL_MS = 8_000;
/** The daemons' stall timeout, in real seconds (their settings are in soak-clock seconds). */
const STALL_TIMEOUT_REAL_S = 5;
/** Slack around each declared gap, in real ms (a gap's recorded edges lag the connection by a few writes). */
const GAP_MARGIN_REAL_MS = 500;
/** No fault in the first and last seconds of each round, so the run starts and ends connected. */
const ROUND_EDGE_MS = { head: 10_000, tail: 20_000 };

/** The seeded schedule: every kind once per two-minute round, at random times and on a random server. */
export function planFaults(random: SeededRandom, recordMs: number): PlannedFault[] {
  const rounds = Math.max(1, Math.round(recordMs / (2 * MINUTE_MS)));
  const roundMs = recordMs / rounds;
  const plan: PlannedFault[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const kind of FAULT_KINDS) {
      const atMs = Math.round(round * roundMs + random.int(ROUND_EDGE_MS.head, roundMs - ROUND_EDGE_MS.tail));
      const durations: Partial<Record<SoakFaultKind, number>> = {
        stall: STALL_MS,
        'split-utf8': 5_000,
        '429': 3_000,
        '503': 3_000,
        'kill-stream': random.int(1_000, 4_000),
        'kill-hourly': random.int(300, 3_000),
        'sync-outage': random.int(20_000, 40_000),
      };
      plan.push({ atMs, kind, server: random.pick(SERVERS), durationMs: durations[kind] ?? 0 });
    }
  }
  return plan.sort((a, b) => a.atMs - b.atMs);
}

/** Peak RSS and CPU per role, over every process that played it. */
class ProcessStats {
  readonly #roles = new Map<string, { runs: number; peakRssMb: number; cpuByPid: Map<number, number> }>();

  track(role: string, child: ChildProcess): void {
    const stats = this.#role(role);
    stats.runs++;
    stats.cpuByPid.set(child.pid!, 0);
  }

  /** Reads /proc for `child` (a process that already ended keeps its last figures). */
  async sample(role: string, child: ChildProcess): Promise<void> {
    if (!isRunning(child)) return;
    const stats = this.#role(role);
    try {
      const [cpu, rss] = await Promise.all([cpuSeconds(child.pid!), peakRssMb(child.pid!)]);
      stats.cpuByPid.set(child.pid!, cpu);
      stats.peakRssMb = Math.max(stats.peakRssMb, rss);
    } catch {
      // Ended between the check and the read.
    }
  }

  setOwn(role: string, cpuS: number, rssMb: number): void {
    const stats = this.#role(role);
    stats.runs = 1;
    stats.cpuByPid.set(process.pid, cpuS);
    stats.peakRssMb = rssMb;
  }

  rows(wallS: number): string[][] {
    return [...this.#roles].map(([role, s]) => {
      const cpuS = [...s.cpuByPid.values()].reduce((a, b) => a + b, 0);
      return [role, String(s.runs), s.peakRssMb.toFixed(1), cpuS.toFixed(1), ((cpuS / wallS) * 100).toFixed(1)];
    });
  }

  #role(role: string) {
    let stats = this.#roles.get(role);
    if (!stats) {
      stats = { runs: 0, peakRssMb: 0, cpuByPid: new Map() };
      this.#roles.set(role, stats);
    }
    return stats;
  }
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

async function filesUnder(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return names.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** ID -> hour keys of every IDs file in the vault. */
async function publishedIds(vault: string): Promise<Map<string, string[]>> {
  const published = new Map<string, string[]>();
  for (const file of await filesUnder(vault)) {
    const match = /(\d{4}-\d\d-\d\d)_(\d\d)_IDs\.txt\.xz$/.exec(file);
    if (!match) continue;
    const hour = `${match[1]}T${match[2]}`;
    for (const id of execFileSync('xz', ['-dc', file], { encoding: 'utf8', maxBuffer: 1 << 30 }).split('\n')) {
      if (id !== '') published.set(id, [...(published.get(id) ?? []), hour]);
    }
  }
  return published;
}

/**
 * Problems of the files left behind: temp files, unprocessed spool, quarantine, late tweets, bad day hashes, and
 * what the last runs (past every retention) should have pruned: staged hours, receipt minutes, sent copies.
 */
async function leftoverProblems(root: string, s1: Settings, s2: Settings): Promise<string[]> {
  const problems: string[] = [];
  const all = await filesUnder(root);
  const temp = all.filter((file) => /\.tmp$|\.part$/.test(file));
  if (temp.length > 0) problems.push(`${temp.length} temporary files left (first: ${temp[0]})`);
  for (const [what, dir] of [
    ["server 1's spool", s1.paths.spool],
    ["server 2's spool", s2.paths.spool],
  ] as const) {
    const data = (await filesUnder(dir)).filter((file) => file.endsWith('.jsonl') && !file.includes('/.'));
    if (data.length > 0) problems.push(`${data.length} minute files never processed in ${what} (first: ${data[0]})`);
  }
  for (const [what, dir] of [
    ['quarantine', join(s1.paths.state, 'quarantine')],
    ['late tweets', join(s1.paths.staging, 'late')],
    ['staged hours past staging_retention_h', stagingHoursDir(s1.paths.staging)],
    ['receipt minutes of retired hours', minutesDir(s1.paths.staging)],
    ["server 2's sent copies past keep_sent_h", sentDir(s2.paths.state)],
  ] as const) {
    const found = await filesUnder(dir);
    if (found.length > 0) problems.push(`${found.length} files in ${what} (first: ${found[0]})`);
  }
  for (const day of await readdir(s1.paths.vault).catch(() => [])) {
    try {
      execFileSync('sha256sum', ['-c', '--quiet', `${day}_SHA256SUMS`], { cwd: join(s1.paths.vault, day), stdio: 'pipe' });
    } catch {
      problems.push(`the hashes of vault day ${day} do not match its files`);
    }
  }
  return problems;
}

function gapIntervals(gaps: ReadonlyArray<{ start: string; end: string }> | undefined): Interval[] {
  return (gaps ?? []).map((gap) => ({ startMs: Date.parse(gap.start), endMs: Date.parse(gap.end) }));
}

function sampleSeconds(emulator: XEmulator, window: Interval): SampleSecond[] {
  const seconds: SampleSecond[] = [];
  for (let startMs = Math.ceil(window.startMs / SECOND_MS) * SECOND_MS; startMs + SECOND_MS <= window.endMs; startMs += SECOND_MS) {
    seconds.push({ startMs, ids: emulator.sampleIds(startMs, startMs + SECOND_MS) });
  }
  return seconds;
}

/** The running pieces of one soak. */
interface Rig {
  layout: DemoLayout;
  emulator: XEmulator;
  clock: Clock;
  origin: ClockOrigin;
  log: Logger;
  stats: ProcessStats;
  daemons: Partial<Record<Server, ChildProcess>>;
  problems: string[];
}

function startDaemon(rig: Rig, server: Server): void {
  const args = [...entryArgs('demo/fast-clock-stream'), '--config', rig.layout.configs[server], '--origin', formatOrigin(rig.origin)];
  const child = spawnLogged(args, join(rig.layout.logs, `${server}-stream.log`));
  rig.stats.track(`stream ${server}`, child);
  rig.daemons[server] = child;
}

/** One `hourly --now <soak clock>` run as a child; with `killAfterMs`, kill -9 it then and run it again. */
async function runHourlyChild(rig: Rig, nowMs: number, killAfterMs: number | null): Promise<void> {
  const args = [...entryArgs('cli/main'), 'hourly', '--config', rig.layout.configs.server1, '--now', new Date(nowMs).toISOString()];
  const child = spawnLogged(args, join(rig.layout.logs, 'hourly.log'));
  rig.stats.track('hourly', child);
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const sampler = setInterval(() => void rig.stats.sample('hourly', child), 250);
  const killer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const [code, signal] = await exited;
  clearInterval(sampler);
  if (killer) clearTimeout(killer);
  if (signal === 'SIGKILL') return runHourlyChild(rig, nowMs, null);
  if (code !== 0) rig.problems.push(`hourly --now ${new Date(nowMs).toISOString()} exited ${code} (see logs/hourly.log)`);
}

/** Applies one planned fault at the moment it is due. */
function applyFault(rig: Rig, fault: PlannedFault, state: { hourlyKillMs: number | null; syncPausedUntil: number; restarts: Array<[number, Server]> }): void {
  const { emulator, origin } = rig;
  const soakSeconds = (realMs: number) => (realMs / SECOND_MS) * origin.speed;
  const randomConnection = () => {
    const open = emulator.openConnections();
    return open[fault.atMs % open.length];
  };
  switch (fault.kind) {
    case 'drop':
    case 'opdisconnect':
    case 'stall':
    case 'split-utf8': {
      const connection = randomConnection();
      if (connection !== undefined) emulator.injectFault({ kind: fault.kind, durationS: soakSeconds(fault.durationMs), connection });
      return;
    }
    case '429':
    case '503': {
      // The next connection attempts meet the error: one connection is dropped to make one.
      emulator.injectFault({ kind: fault.kind, durationS: soakSeconds(fault.durationMs) });
      const connection = randomConnection();
      if (connection !== undefined) emulator.injectFault({ kind: 'drop', durationS: 0, connection });
      return;
    }
    case 'kill-stream': {
      const child = rig.daemons[fault.server];
      if (child && isRunning(child)) {
        void rig.stats.sample(`stream ${fault.server}`, child);
        child.kill('SIGKILL');
        state.restarts.push([Date.now() + fault.durationMs, fault.server]);
      }
      return;
    }
    case 'kill-hourly':
      state.hourlyKillMs = fault.durationMs;
      return;
    case 'sync-outage':
      state.syncPausedUntil = Date.now() + fault.durationMs;
  }
}

/**
 * `npm run soak -- --minutes N` (issue 12.4): the emulator at ten times the 1% rate with a ledger, two stream
 * daemons, sync every soak minute through the `local` transport, `hourly --now` every soak hour, and a seeded
 * fault schedule; then the checks of soak-checks.ts and one table. Everything stays under the run's folder.
 */
export async function runSoak(options: SoakOptions, out: Writable): Promise<SoakResult> {
  const say = (text: string) => out.write(`${text}\n`);
  const { minutes, seed, ratePerS, speed } = options;
  const recordMs = minutes * MINUTE_MS;
  const realStartedMs = Date.now();
  const root = join(options.outputRoot, `soak-${new Date(realStartedMs).toISOString().replace(/[:.]/g, '-')}`);
  // The soak clock starts five soak minutes before an hour, so the first hour closes early in the run.
  const origin: ClockOrigin = { realMs: realStartedMs, startMs: Math.floor(realStartedMs / HOUR_MS) * HOUR_MS + 55 * MINUTE_MS, speed };
  const clock = acceleratedClock(origin);
  const random = new SeededRandom(seed);
  const plan = planFaults(random, recordMs);
  await mkdir(root, { recursive: true });
  const ledgerPath = join(root, 'emulator-ledger.tsv');
  const emulator = await startXEmulator({ ratePerS: ratePerS / speed, keepaliveS: 20, seed, clock, ledger: ledgerPath });
  const osf = await startFakeOsf({ token: 'demo-osf-token', storageDir: join(root, 'osf-storage') });
  const layout = await createDemoLayout(root, { xApi: emulator.url, osf: osf.url, osfProject: osf.projectId }, {
    xApi: { stall_timeout_s: STALL_TIMEOUT_REAL_S * speed },
    hourly: {},
  });
  const log = createLogger({ destination: pino.destination({ dest: join(layout.logs, 'soak.log'), sync: true }) });
  const [s1, s2] = await Promise.all([loadSettings(layout.configs.server1, 'hourly'), loadSettings(layout.configs.server2, 'sync')]);
  const rig: Rig = { layout, emulator, clock, origin, log, stats: new ProcessStats(), daemons: {}, problems: [] };
  const faults: Record<string, number> = {};
  const state = { hourlyKillMs: null as number | null, syncPausedUntil: 0, restarts: [] as Array<[number, Server]> };
  say(`Soak output: ${root}`);
  say(`${minutes} min at ${ratePerS} tweets/s, soak clock ${speed}x (an hour every ${60 / speed} min), seed ${seed}, ${plan.length} faults`);
  try {
    for (const server of SERVERS) startDaemon(rig, server);
    await waitFor(async () => emulator.activeConnections() >= 2, 'both daemons connecting', 60_000);
    const window: Interval = { startMs: clock.now(), endMs: 0 };
    const recordStart = Date.now();
    let syncing: Promise<unknown> | null = null;
    let hourly: Promise<void> | null = null;
    let nextSyncMs = recordStart;
    let nextHourlyAt = Math.floor(clock.now() / HOUR_MS) * HOUR_MS + HOUR_MS + 10 * MINUTE_MS;
    let due = 0;
    while (Date.now() < recordStart + recordMs) {
      const elapsedMs = Date.now() - recordStart;
      for (; due < plan.length && plan[due]!.atMs <= elapsedMs; due++) {
        applyFault(rig, plan[due]!, state);
        faults[plan[due]!.kind] = (faults[plan[due]!.kind] ?? 0) + 1;
      }
      for (const [atMs, server] of state.restarts.filter(([atMs]) => atMs <= Date.now())) {
        startDaemon(rig, server);
        state.restarts = state.restarts.filter(([at, s]) => at !== atMs || s !== server);
      }
      if (syncing === null && Date.now() >= nextSyncMs && Date.now() >= state.syncPausedUntil) {
        syncing = runSync({ settings: s2, clock, log })
          .catch((err: Error) => rig.problems.push(`sync failed: ${err.message}`))
          .finally(() => (syncing = null));
        nextSyncMs = Date.now() + MINUTE_MS / speed;
      }
      if (hourly === null && clock.now() >= nextHourlyAt) {
        const killAfterMs = state.hourlyKillMs;
        state.hourlyKillMs = null;
        hourly = runHourlyChild(rig, clock.now(), killAfterMs).finally(() => (hourly = null));
        nextHourlyAt += HOUR_MS;
      }
      for (const server of SERVERS) {
        const child = rig.daemons[server];
        if (child) await rig.stats.sample(`stream ${server}`, child);
      }
      await clock.sleep(250 * speed);
    }
    for (const [, server] of state.restarts) startDaemon(rig, server);
    window.endMs = clock.now();
    say('Recording done: stopping the daemons, last sync, last hourly.');
    for (const server of SERVERS) await rig.stats.sample(`stream ${server}`, rig.daemons[server]!);
    await Promise.all(SERVERS.map((server) => stopProcess(rig.daemons[server]!)));
    await Promise.all([syncing, hourly]);
    await runSync({ settings: s2, clock, log });
    // Past every hour's deadline and amendment interval, as `hourly --now` would be hours later. That run sees
    // the watermarks moved since the last one, so it holds the last hour as a still-draining backlog (DESIGN 3.4:
    // advanced within 5 minutes); a second, clean run an hour later finds them still and publishes it.
    const finalMs = clock.now();
    await runHourlyChild(rig, finalMs + 3 * HOUR_MS, state.hourlyKillMs);
    await runHourlyChild(rig, finalMs + 4 * HOUR_MS, null);
    // Days later, past every hour's staging retention and every sent copy's keep_sent_h: what is still there then
    // would grow without bound (checked with the leftovers).
    await runHourlyChild(rig, finalMs + (4 + s1.hourly.staging_retention_h + 1) * HOUR_MS, null);
    await runSync({ settings: s2, clock: fixedClock(finalMs + (s2.sync.keep_sent_h + 1) * HOUR_MS), log });
    if (state.hourlyKillMs !== null) faults['kill-hourly'] = faults['kill-hourly'] ?? 1;

    const [state1, state2] = await Promise.all([readStreamState(s1.paths.state), readStreamState(s2.paths.state)]);
    const sample = sampleSeconds(emulator, window);
    await emulator.close();
    const ledger = parseLedger(await readFile(ledgerPath, 'utf8'));
    const findings = checkSoak({
      ledger,
      gaps: { server1: gapIntervals(state1?.gaps), server2: gapIntervals(state2?.gaps) },
      published: await publishedIds(s1.paths.vault),
      window,
      sample,
      hourOf: (id) => new Date(snowflakeTimeMs(id)).toISOString().slice(0, 13),
      marginMs: GAP_MARGIN_REAL_MS * speed,
    });
    const failures = [...failedChecks(findings), ...rig.problems, ...(await leftoverProblems(root, s1, s2))];
    const usage = process.resourceUsage();
    rig.stats.setOwn('soak (emulator, sync)', (usage.userCPUTime + usage.systemCPUTime) / 1e6, usage.maxRSS / 1024);
    say('');
    say(table([['fault', 'injected'], ...FAULT_KINDS.map((kind) => [kind, String(faults[kind] ?? 0)])]));
    say('');
    say(
      table([
        ['tweets', 'count'],
        ['sent (ledger)', String(findings.sent)],
        ['sent while a server was connected', String(findings.required)],
        ['published', String(findings.published)],
        ['lost outside declared gaps', String(findings.lost.length)],
        ['duplicates', String(findings.duplicates.length)],
        ['unsent (both servers in a gap)', `${findings.unsent} in ${findings.unsentMinutes} min`],
      ]),
    );
    say('');
    say(table([['process', 'runs', 'peak RSS MB', 'CPU s', 'CPU %'], ...rig.stats.rows((Date.now() - realStartedMs) / SECOND_MS)]));
    say('');
    for (const failure of failures) say(`FAIL: ${failure}`);
    say(failures.length === 0 ? 'Soak passed.' : `Soak failed: ${failures.length} checks.`);
    return { passed: failures.length === 0, failures, findings, faults, root };
  } finally {
    for (const child of Object.values(rig.daemons)) if (child) await stopProcess(child, 'SIGKILL');
    await Promise.all([emulator.close(), osf.close()]);
  }
}
