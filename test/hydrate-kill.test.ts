import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startXEmulator, type XEmulator } from '../src/emulator/index.js';
import { checkpointPathFor } from '../src/hydrate/index.js';
import { tempDir } from './helpers/tmp.js';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
let emulator: XEmulator;
after(() => emulator?.close());

function spawnHydrate(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' };
  delete env.SAMPLED_STREAM_CONFIG;
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'hydrate', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}

async function idsDone(outPath: string): Promise<number> {
  try {
    return (JSON.parse(await readFile(checkpointPathFor(outPath), 'utf8')) as { ids_done: number }).ids_done;
  } catch {
    return 0;
  }
}

/** OUT without the `__meta.retrieved_at` of each line, which records when that run fetched it. */
async function answers(outPath: string): Promise<string[]> {
  return (await readFile(outPath, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const { __meta: _meta, ...answer } = JSON.parse(line) as Record<string, unknown>;
      return JSON.stringify(answer);
    });
}

function csvWithoutRetrievedAt(path: string): string[] {
  return execFileSync('xz', ['-dc', path], { encoding: 'utf8' })
    .split('\n')
    .map((row) => row.split(',').filter((_cell, i) => i !== 4).join(','));
}

describe('hydrate after kill -9', () => {
  it('killed in the middle and run again gives the same OUT, missing.tsv and CSV as an uninterrupted run', async () => {
    emulator = await startXEmulator({ deletedEvery: 11 });
    const dir = await tempDir();
    const ids = emulator.sampleIds(Date.now() - 10 * 60_000, Date.now() - 9 * 60_000);
    assert.ok(ids.length > 2500);
    const idsFile = join(dir, 'ids.txt');
    await writeFile(idsFile, ids.map((id) => `${id}\n`).join(''));
    execFileSync('xz', [idsFile]);
    const tokenFile = join(dir, 'token');
    await writeFile(tokenFile, 'kill-test-token\n', { mode: 0o600 });
    const args = (name: string) => [`${idsFile}.xz`, '--out', join(dir, `${name}.jsonl`), '--csv', join(dir, `${name}.csv.xz`), '--token-file', tokenFile, '--api-base-url', emulator.url];

    const reference = await spawnHydrate(args('reference')).exited;
    assert.equal(reference.code, 0, reference.output);

    const killedOut = join(dir, 'killed.jsonl');
    const first = spawnHydrate(args('killed'));
    const deadline = Date.now() + 60_000;
    while ((await idsDone(killedOut)) < 1000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    assert.equal(killed.signal, 'SIGKILL', `the run ended before it was killed: ${killed.output}`);
    const doneAtKill = await idsDone(killedOut);
    assert.ok(doneAtKill >= 1000 && doneAtKill < ids.length, `killed at ${doneAtKill} of ${ids.length}`);

    const second = await spawnHydrate(args('killed')).exited;
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, /resumed at /);
    assert.deepEqual(await answers(killedOut), await answers(join(dir, 'reference.jsonl')));
    assert.equal(await readFile(join(dir, 'killed.missing.tsv'), 'utf8'), await readFile(join(dir, 'reference.missing.tsv'), 'utf8'));
    assert.deepEqual(csvWithoutRetrievedAt(join(dir, 'killed.csv.xz')), csvWithoutRetrievedAt(join(dir, 'reference.csv.xz')));
    const missing = (await readFile(join(dir, 'killed.missing.tsv'), 'utf8')).trim().split('\n').length - 1;
    assert.equal(missing, ids.filter((id) => BigInt(id) % 11n === 0n).length);
  });
});
