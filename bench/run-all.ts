// `npm run bench [-- --scale N]`: every benchmark of DESIGN 13 and issue 13, one after another (so none
// measures beside another), then one table of figure, baseline and target, also written as
// bench/results/<UTC date>[-scaleN].json so that figures can be compared over time. Asserts nothing.
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

const REPO = join(import.meta.dirname, '..');

const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });

/** Each step is one bench script with its arguments; the paced 1% rate runs inside the full ingest bench. */
const steps: Array<{ name: string; args: string[] }> = [
  { name: 'ingest', args: ['bench/ingest.ts'] },
  { name: 'ingest --rate 600', args: ['bench/ingest.ts', '--rate', '600'] },
  { name: `hourly --scale ${values.scale}`, args: ['bench/hourly.ts', '--scale', values.scale!] },
  { name: 'sync', args: ['bench/sync.ts'] },
  { name: 'hydrate', args: ['bench/hydrate.ts'] },
];

async function runStep(args: string[], figuresFile: string): Promise<{ code: number | null; seconds: number }> {
  const startedMs = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: REPO,
    stdio: 'inherit',
    env: { ...process.env, [FIGURES_FILE_ENV]: figuresFile },
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, seconds: (Date.now() - startedMs) / 1000 };
}

const work = await mkdtemp(join(tmpdir(), 'bench-all-'));
try {
  const figuresFile = join(work, 'figures.jsonl');
  const startedAt = new Date();
  const loadBefore = loadavg();
  const runs: Array<{ step: string; exit_code: number | null; seconds: number }> = [];
  for (const step of steps) {
    process.stdout.write(`\n== bench: ${step.name}\n`);
    const { code, seconds } = await runStep(step.args, figuresFile);
    runs.push({ step: step.name, exit_code: code, seconds });
  }
  const figures = (await readFile(figuresFile, 'utf8').catch(() => ''))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Figure);
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
