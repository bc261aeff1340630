/**
 * bench:hydrate (issue 11): `sampled-stream hydrate` of 100,000 IDs against the local emulator with a 15 s
 * lookup window (300 requests per window, X's default): requests made against the minimum ceil(n/100), IDs/s
 * apart from the time spent waiting for windows, and the peak RSS of the hydrate process. Prints figures;
 * asserts nothing. Usage: npm run bench:hydrate [-- --ids 100000 --window-s 15]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startXEmulator } from '../src/emulator/index.js';
import { atMost, recordFigures } from './figures.js';
import { checkpointPathFor } from '../src/hydrate/index.js';
import { builtCli } from './build-cli.js';
import { peakRssMb } from '../src/platform/proc-stats.js';

const RATE_PER_S = 50;

const { values } = parseArgs({ options: { ids: { type: 'string', default: '100000' }, 'window-s': { type: 'string', default: '15' } } });
const idCount = Number(values.ids);
const main = builtCli();
const windowS = Number(values['window-s']);
const emulator = await startXEmulator({ ratePerS: RATE_PER_S, deletedEvery: 50, windowS });
const dir = await mkdtemp(join(tmpdir(), 'bench-hydrate-'));
try {
  // The stream's own past: enough seconds of the 1% sample to hold idCount IDs.
  const spanMs = Math.ceil((idCount / RATE_PER_S) * 1.05) * 1000 + 60_000;
  const ids = emulator.sampleIds(Date.now() - spanMs, Date.now() - 60_000).slice(0, idCount);
  const idsFile = join(dir, 'ids.txt');
  await writeFile(idsFile, ids.map((id) => `${id}\n`).join(''));
  execFileSync('xz', ['-T1', idsFile]);
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, 'bench-token\n', { mode: 0o600 });
  const outPath = join(dir, 'out.jsonl');
  const startedMs = Date.now();
  const child = spawn(
    process.execPath,
    [main, 'hydrate', `${idsFile}.xz`, '--out', outPath, '--csv', join(dir, 'out.csv.xz'), '--token-file', tokenFile, '--api-base-url', emulator.url],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' } },
  );
  let summary = '';
  child.stdout.on('data', (chunk) => (summary += chunk));
  let peakMb = 0;
  // A poll after the process ended finds no /proc entry and keeps the last peak.
  const poll = setInterval(() => void peakRssMb(child.pid!).then((mb) => (peakMb = Math.max(peakMb, mb)), () => undefined), 200);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  const wallS = (Date.now() - startedMs) / 1000;
  if (code !== 0) throw new Error(`hydrate exited ${code}:\n${summary}`);
  const { counts } = JSON.parse(await readFile(checkpointPathFor(outPath), 'utf8')) as {
    counts: { requested: number; found: number; requests: number; rate_limit_waits: number; rate_limit_wait_ms: number };
  };
  const minimum = Math.ceil(counts.requested / 100);
  const workingS = wallS - counts.rate_limit_wait_ms / 1000;
  process.stdout.write(summary);
  console.log(`bench:hydrate  ${counts.requested} IDs, lookup window ${windowS} s with 300 requests`);
  console.log(`  requests     ${counts.requests} (minimum ${minimum}, ratio ${(counts.requests / minimum).toFixed(3)})`);
  console.log(`  waiting      ${(counts.rate_limit_wait_ms / 1000).toFixed(1)} s in ${counts.rate_limit_waits} waits, of ${wallS.toFixed(1)} s wall (CSV included)`);
  console.log(`  throughput   ${Math.round(counts.requested / workingS)} IDs/s apart from waiting`);
  console.log(`  peak RSS     ${peakMb.toFixed(0)} MB (hydrate process; the emulator runs in the bench process)`);
  await recordFigures([
    // Waiting for each window's reset instead of sending into it means no request beyond one per 100 IDs.
    atMost({ bench: 'hydrate', figure: `hydrate ${counts.requested} IDs: requests / minimum`, value: counts.requests / minimum, unit: 'x', baseline: { label: 'minimum ceil(n/100)', value: minimum } }, 1),
    { bench: 'hydrate', figure: 'hydrate IDs/s apart from rate-limit waits', value: counts.requested / workingS, unit: 'IDs/s', baseline: { label: 's waited for windows', value: counts.rate_limit_wait_ms / 1000 } },
  ]);
} finally {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
}
