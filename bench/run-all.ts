// `npm run bench [-- --scale N]`: every benchmark of DESIGN 13 and issue 13, in the stages below (only the
// low-cost paced daemons measure beside other work), then one table of figure, baseline and target, also written
// as bench/results/<UTC date>[-scaleN].json so that figures can be compared over time. Asserts nothing.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { describeLzmaBuild, findLzmaBuild } from '../src/health/lzma-build.js';
import { writeJsonAtomic } from '../src/platform/atomic-write.js';
import { FIGURES_FILE_ENV, type Figure } from './figures.js';
import { formatTable } from './table.js';
import { builtCli, CLI_MAIN_ENV } from './build-cli.js';

const REPO = join(import.meta.dirname, '..');

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });

interface Step {
  name: string;
  args: string[];
}

/**
 * Stages run one after another; the lanes of a stage run side by side, each lane's steps in turn. What needs
 * the machine to itself runs alone: full-speed ingest, the publish run and its floor, sync. The paced daemons
 * cost a few % of a core, so the hourly setup (one core: generating the spool and ingesting it) and hydrate
 * run beside them, on the other core; that keeps `--scale 10` within 15 minutes.
 * Hydrate's lookup window is 10 s instead of X's 15 min (its bench default is 15 s): its figures count
 * requests and working time apart from the waits, so a shorter wait changes none of them; 300 requests
 * take about 5 s here, so each window is still used up before it resets and waited for.
 */
function stages(scale: string, hourlyDir: string): Step[][][] {
  const hourly = ['bench/hourly.ts', '--scale', scale, '--dir', hourlyDir];
  return [
    [[{ name: 'ingest --full-speed', args: ['bench/ingest.ts', '--full-speed'] }]],
    [
      [{ name: 'ingest --rate 60,600', args: ['bench/ingest.ts', '--rate', '60,600'] }],
      [
        { name: `hourly --scale ${scale} --part setup`, args: [...hourly, '--part', 'setup'] },
        { name: 'hydrate', args: ['bench/hydrate.ts', '--window-s', '10'] },
      ],
    ],
    [[{ name: `hourly --scale ${scale} --part measure`, args: [...hourly, '--part', 'measure'] }]],
    [[{ name: 'sync', args: ['bench/sync.ts'] }]],
  ];
}

/** The order of the table's rows, whichever step of a stage finished first. */
const BENCH_ORDER = ['ingest', 'hourly', 'sync', 'hydrate'];

interface Run {
  step: string;
  exit_code: number | null;
  seconds: number;
  /** The steps that ran at the same time, in other lanes. */
  beside?: string[];
}

/** Runs one step; beside other lanes its output is held and printed whole when it ends. */
async function runStep(step: Step, env: NodeJS.ProcessEnv, alone: boolean): Promise<Omit<Run, 'beside'>> {
  if (alone) process.stdout.write(`\n== bench: ${step.name}\n`);
  const startedMs = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', ...step.args], {
    cwd: REPO,
    stdio: ['ignore', alone ? 'inherit' : 'pipe', alone ? 'inherit' : 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  const seconds = (Date.now() - startedMs) / 1000;
  if (!alone) process.stdout.write(`\n== bench: ${step.name} (${seconds.toFixed(0)} s, beside the other lanes)\n${output}`);
  return { step: step.name, exit_code: code, seconds };
}

async function runStage(lanes: Step[][], env: NodeJS.ProcessEnv): Promise<Run[]> {
  const alone = lanes.length === 1;
  const results = await Promise.all(
    lanes.map(async (lane, i) => {
      const beside = lanes.filter((_, j) => j !== i).flat().map((step) => step.name);
      const runs: Run[] = [];
      for (const step of lane) runs.push({ ...(await runStep(step, env, alone)), ...(alone ? {} : { beside }) });
      return runs;
    }),
  );
  return results.flat();
}

const work = await mkdtemp(join(tmpdir(), 'bench-all-'));
try {
  const figuresFile = join(work, 'figures.jsonl');
  const startedAt = new Date();
  const loadBefore = loadavg();
  // Built once for every step that runs the CLI.
  const env = { [FIGURES_FILE_ENV]: figuresFile, [CLI_MAIN_ENV]: builtCli() };
  const runs: Run[] = [];
  for (const stage of stages(values.scale!, join(work, 'hourly'))) runs.push(...(await runStage(stage, env)));
  const figures = (await readFile(figuresFile, 'utf8').catch(() => ''))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Figure)
    .sort((a, b) => BENCH_ORDER.indexOf(a.bench) - BENCH_ORDER.indexOf(b.bench));
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    xz_library: describeLzmaBuild(await findLzmaBuild()).detail,
    load_before: loadBefore,
    load_after: loadavg(),
  };
  // One file per day and scale, so the 1% and the 10% figures of a day are both kept.
  const scaleSuffix = values.scale === '1' ? '' : `-scale${values.scale}`;
  const resultsFile = join(REPO, 'bench', 'results', `${startedAt.toISOString().slice(0, 10)}${scaleSuffix}.json`);
  await writeJsonAtomic(resultsFile, { started_at: startedAt.toISOString(), finished_at: new Date().toISOString(), scale: Number(values.scale), machine, runs, figures });
  process.stdout.write(`\n== bench: all figures (${machine.cores} x ${machine.cpu}, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${machine.load_after.map((l) => l.toFixed(2)).join(' ')} after)\n`);
  process.stdout.write(formatTable(figures));
  const failed = runs.filter((run) => run.exit_code !== 0);
  for (const run of failed) process.stdout.write(`bench step "${run.step}" exited ${run.exit_code}\n`);
  process.stdout.write(`written to ${resultsFile}\n`);
} finally {
  await rm(work, { recursive: true, force: true });
}
