/**
 * bench:ingest (DESIGN 13): the stream daemon against the emulator at full speed, compared with a Python
 * stdlib re-implementation of twarc2's streaming loop on the same source; then the daemon at the 1% rate and at
 * one sample10 partition's (60 and 600 tweets/s, side by side), in % of a core. `--rate` and `--full-speed`
 * measure one part (see choice()).
 * Prints figures; asserts nothing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { startXEmulator, type XEmulator } from '../src/emulator/index.js';
import type { Settings } from '../src/config/index.js';
import { streamUrl } from '../src/stream/index.js';
import { cpuSeconds, peakRssMb } from '../src/platform/proc-stats.js';
import { testSettings } from '../test/helpers/settings.js';
import { atLeast, atMost, recordFigures } from './figures.js';
import { builtCli } from './build-cli.js';

const REPO = join(import.meta.dirname, '..');
const FULL_SPEED_S = 10;
/** Issue 13 measures the paced daemon over 120 s: a shorter window is dominated by start-up and GC timing. */
const PACED_S = 120;
/** Issue 13's targets: % of a core at the 1% rate and at one sample10 partition, RSS, and throughput vs twarc2. */
const PACED_CPU_TARGETS = new Map([[60, 1], [600, 4]]);
/** The 1% stream's rate and one sample10 partition's. */
const PACED_RATES = [...PACED_CPU_TARGETS.keys()];
const DAEMON_RSS_TARGET_MB = 100;
const TWARC_RATIO_TARGET = 3;
const WARMUP_MS = 1500;
/** V8's memory reducer runs a few full GCs some 15 s after start-up; a daemon runs for months, so skip them. */
const IDLE_WARMUP_MS = 20_000;

/** twarc2's loop (requests' iter_lines with 512-byte reads, json.loads, a `__twarc` dict, json.dumps), stdlib only. */
const TWARC_LOOP_PY = String.raw`
import datetime, http.client, json, sys, time
host, port, path, out, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], float(sys.argv[5])
conn = http.client.HTTPConnection(host, port)
conn.request("GET", path, headers={"Authorization": "Bearer bench-token", "User-Agent": "twarc/2.14.1"})
resp = conn.getresponse()
url = "http://%s:%d%s" % (host, port, path)
deadline = time.monotonic() + seconds
pending = None
count = 0
with open(out, "w") as fh:
    while time.monotonic() < deadline:
        chunk = resp.read(512)
        if not chunk:
            break
        if pending is not None:
            chunk = pending + chunk
        lines = chunk.splitlines()
        pending = lines.pop() if lines and lines[-1] and chunk[-1:] == lines[-1][-1:] else None
        for line in lines:
            if not line:
                continue
            data = json.loads(line.decode())
            now = datetime.datetime.now(datetime.timezone.utc).isoformat()
            data["__twarc"] = {"url": url, "version": "2.14.1", "retrieved_at": now}
            fh.write(json.dumps(data) + "\n")
            count += 1
print(count)
`;

async function waitForConnections(emulator: XEmulator, children: ChildProcess[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (emulator.activeConnections() < children.length) {
    if (Date.now() > deadline || children.some((c) => c.exitCode !== null)) {
      throw new Error('Cannot benchmark: a client never connected to the emulator');
    }
    await sleep(20);
  }
}

interface Measurement {
  perS: number;
  cpuSPer100k: number;
  cpuPercent: number;
  peakRssMb: number;
}

/**
 * Measures client processes connected to `emulator` over `seconds`, after a warm-up. Every connection gets
 * the same sample, so each client's messages/s is the emulator's total divided by the clients.
 */
async function measure(
  children: ChildProcess[],
  emulator: XEmulator,
  seconds: number,
  warmupMs: number,
): Promise<Measurement[]> {
  await waitForConnections(emulator, children);
  await sleep(warmupMs);
  const cpu = () => Promise.all(children.map((c) => cpuSeconds(c.pid!)));
  const [startSent, startAtMs, startCpu] = [emulator.stats().messagesSent, Date.now(), await cpu()];
  await sleep(seconds * 1000);
  const [endSent, endAtMs, endCpu] = [emulator.stats().messagesSent, Date.now(), await cpu()];
  const messages = (endSent - startSent) / children.length;
  const wallS = (endAtMs - startAtMs) / 1000;
  return Promise.all(
    children.map(async (child, i) => {
      const cpuS = endCpu[i]! - startCpu[i]!;
      return {
        perS: messages / wallS,
        cpuSPer100k: messages > 0 ? (cpuS / messages) * 100_000 : Number.NaN,
        cpuPercent: (cpuS / wallS) * 100,
        peakRssMb: await peakRssMb(child.pid!),
      };
    }),
  );
}

/** Client processes started against an emulator's URL, given settings pointing at it. */
type Clients = (settings: Settings, configPath: string) => Promise<ChildProcess[]>;

/** Runs `clients` against a fresh emulator at `ratePerS` and measures them. */
async function measureAgainstEmulator(
  root: string,
  ratePerS: number,
  clients: Clients,
  seconds: number,
  warmupMs = WARMUP_MS,
): Promise<Measurement[]> {
  const emulator = await startXEmulator({ ratePerS, seed: 7 });
  const { settings, configPath } = await testSettings(root, { x_api: { base_url: emulator.url } });
  const children = await clients(settings, configPath);
  try {
    return await measure(children, emulator, seconds, warmupMs);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : null)));
    await emulator.close();
  }
}

/** The stream daemon, built, as the only client. */
const daemon = (main: string) => async (_settings: Settings, configPath: string) => [
  spawn(process.execPath, [main, 'stream', '--config', configPath], {
    cwd: REPO,
    env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' },
    stdio: 'ignore',
  }),
];

/** A Node HTTP client that only reads the stream: the floor any Node daemon pays per message. */
const BARE_READER_JS =
  "require('node:http').get(process.argv[1], { headers: { authorization: 'Bearer bench' }, agent: false }, (r) => r.resume());";

/** The daemon and a bare reader side by side on one stream, so both see the same load. */
const daemonAndBareReader = (main: string) => async (settings: Settings, configPath: string) => [
  ...(await daemon(main)(settings, configPath)),
  spawn(process.execPath, ['-e', BARE_READER_JS, streamUrl(settings.x_api, null).href], { stdio: 'ignore' }),
];

/** twarc2's loop in Python, if python3 exists; the same request as the daemon's, so both get the same messages. */
const twarcLoop = (script: string, outFile: string, seconds: number) => async (settings: Settings) => {
  const url = streamUrl(settings.x_api, null);
  const args = [script, url.hostname, url.port, url.pathname + url.search, outFile, String(seconds + 5)];
  return [spawn('python3', args, { stdio: 'ignore' })];
};

function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(44)} ${value}\n`);
}

/**
 * What to measure: `--rate 60,600` only the daemon at those paced rates (tweets/s), `--full-speed` only the
 * full-speed comparison with twarc2's loop, neither both (`npm run bench` runs the two parts apart).
 */
function choice(): { fullSpeed: boolean; rates: number[] } {
  const { values } = parseArgs({ options: { rate: { type: 'string' }, 'full-speed': { type: 'boolean' } } });
  if (values.rate === undefined) return { fullSpeed: true, rates: values['full-speed'] ? [] : PACED_RATES };
  if (values['full-speed']) throw new Error('Give --rate or --full-speed, not both');
  const rates = values.rate.split(',').map(Number);
  if (rates.some((rate) => !Number.isFinite(rate) || rate <= 0)) {
    throw new Error(`--rate must be tweets per second > 0, comma-separated (e.g. 60,600): got "${values.rate}"`);
  }
  return { fullSpeed: false, rates };
}

/**
 * The daemon's CPU at paced rates, each beside a bare Node reader of the same stream. The rates run at the same
 * time, each against its own emulator: every pair costs a few % of a core, so on two cores they hardly disturb
 * each other, and the whole bench keeps within its 15 minutes.
 */
async function measurePaced(root: string, main: string, rates: readonly number[]): Promise<void> {
  const clients = daemonAndBareReader(main);
  const runs = await Promise.all(
    rates.map((rate) => measureAgainstEmulator(join(root, `paced-${rate}`), rate, clients, PACED_S, IDLE_WARMUP_MS)),
  );
  for (const [i, ratePerS] of rates.entries()) {
    const [paced, bare] = runs[i]!;
    const cpuTarget = PACED_CPU_TARGETS.get(ratePerS);
    line(`daemon at ${ratePerS} tweets/s: CPU % of a core`, `${paced!.cpuPercent.toFixed(2)}${cpuTarget === undefined ? '' : ` (target < ${cpuTarget})`}`);
    line(`bare Node HTTP reader, same stream: CPU %`, bare!.cpuPercent.toFixed(2));
    line(`daemon / bare reader CPU`, `${(paced!.cpuPercent / bare!.cpuPercent).toFixed(2)}x`);
    line(`daemon at ${ratePerS} tweets/s: peak RSS MB`, `${paced!.peakRssMb.toFixed(1)} (target < ${DAEMON_RSS_TARGET_MB})`);
    line(`bare Node HTTP reader: peak RSS MB`, bare!.peakRssMb.toFixed(1));
    const cpu = { bench: 'ingest', figure: `stream daemon CPU at ${ratePerS} msg/s, over ${PACED_S} s`, value: paced!.cpuPercent, unit: '% of a core', baseline: { label: 'bare Node reader, %', value: bare!.cpuPercent } };
    await recordFigures([
      cpuTarget === undefined ? cpu : atMost(cpu, cpuTarget, true),
      atMost({ bench: 'ingest', figure: `stream daemon peak RSS at ${ratePerS} msg/s`, value: paced!.peakRssMb, unit: 'MB', baseline: { label: 'bare Node reader, MB', value: bare!.peakRssMb } }, DAEMON_RSS_TARGET_MB, true),
    ]);
  }
}

/** The daemon at full speed against the twarc2-style loop on the same source. */
async function measureFullSpeed(root: string, main: string): Promise<void> {
  const [full] = await measureAgainstEmulator(join(root, 'full'), 0, daemon(main), FULL_SPEED_S);
  line('daemon, full speed: tweets/s', full!.perS.toFixed(0));
  line('daemon, full speed: CPU s per 100k tweets', full!.cpuSPer100k.toFixed(2));
  line('daemon, full speed: peak RSS MB', full!.peakRssMb.toFixed(1));
  if (spawnSync('python3', ['--version']).status === 0) {
    const script = join(root, 'twarc_loop.py');
    await writeFile(script, TWARC_LOOP_PY);
    const loop = twarcLoop(script, join(root, 'twarc.jsonl'), FULL_SPEED_S);
    const [twarc] = await measureAgainstEmulator(join(root, 'twarc'), 0, loop, FULL_SPEED_S);
    line('twarc2-style Python loop: messages/s', twarc!.perS.toFixed(0));
    line('twarc2-style Python loop: CPU s per 100k', twarc!.cpuSPer100k.toFixed(2));
    line('daemon / twarc2 loop throughput', `${(full!.perS / twarc!.perS).toFixed(2)}x (target >= ${TWARC_RATIO_TARGET}x)`);
    await recordFigures([
      atLeast({ bench: 'ingest', figure: 'ingest vs twarc2\'s loop, same source, same run', value: full!.perS / twarc!.perS, unit: 'x', baseline: { label: 'twarc2 loop, msg/s', value: twarc!.perS } }, TWARC_RATIO_TARGET),
    ]);
  } else {
    line('twarc2-style Python loop', 'skipped: python3 not found');
  }
  line('floor 20,000/s, RSS < 150 MB', full!.perS >= 20_000 && full!.peakRssMb < 150 ? 'met' : 'NOT met');
}

const { fullSpeed, rates } = choice();
const root = await mkdtemp(join(tmpdir(), 'bench-ingest-'));
try {
  const main = builtCli();
  // Other work on the machine skews every figure below; the load says how much.
  line('load average (1 min) before measuring', loadavg()[0]!.toFixed(2));
  if (fullSpeed) await measureFullSpeed(root, main);
  if (rates.length > 0) await measurePaced(root, main, rates);
} finally {
  await rm(root, { recursive: true, force: true });
}
