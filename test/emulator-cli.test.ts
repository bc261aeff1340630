import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { main } from '../src/cli/main.js';
import { parseLedger } from '../src/emulator/send-ledger.js';
import { DAEMON_QUERY, openRaw, waitFor } from './helpers/emulator-stream-client.js';
import { tempDir } from './helpers/tmp.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function runInProcess(args: string[]): Promise<{ code: number; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: Buffer[] = [];
  stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  const code = await main(args, { stdout, stderr, env: {} });
  return { code, stderr: Buffer.concat(chunks).toString() };
}

describe('sampled-stream emulator', () => {
  const children: ReturnType<typeof spawn>[] = [];
  after(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints its URL, streams tweets, records them in --ledger, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const ledger = join(await tempDir(), 'ledger.tsv');
    const args = ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--port', String(port), '--rate', '100', '--ledger', ledger];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    await waitFor(() => stdout.includes('\n'), 'the listening line', 30_000);
    assert.equal(stdout, `X API emulator listening on http://127.0.0.1:${port}\n`);
    const stream = await openRaw(`http://127.0.0.1:${port}`, `/2/tweets/sample/stream?${DAEMON_QUERY}`);
    assert.equal(stream.status, 200);
    await waitFor(() => stream.messages().length >= 20, 'some messages');
    assert.match(stream.messages()[0]!.data.id, /^\d+$/);
    const sentBefore = Date.now();
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.equal(await stream.ended, 'aborted');
    const entries = parseLedger(await readFile(ledger, 'utf8'));
    assert.deepEqual(new Set(entries.map((e) => e.connection)), new Set([1]));
    const received = stream.messages().map((m) => m.data.id as string);
    // Every ID the client received was recorded, in order, with the time it was written.
    assert.deepEqual(entries.map((e) => e.id).slice(0, received.length), received);
    assert.ok(entries.every((e, i) => e.sentAtMs <= sentBefore + 5_000 && (i === 0 || e.sentAtMs >= entries[i - 1]!.sentAtMs)));
  });

  const refused: { args: string[]; stderr: RegExp }[] = [
    { args: ['emulator', '--faults', 'explode@1'], stderr: /fault "explode@1": kind "explode" must be one of/ },
    { args: ['emulator', '--rate', 'fast'], stderr: /--rate must be a number >= 0: got "fast"/ },
    { args: ['emulator', '--port', '70000'], stderr: /'port' must be 0\.\.65535: got 70000/ },
  ];
  for (const { args, stderr } of refused) {
    it(`exits 2 for ${args.slice(1).join(' ')}`, async () => {
      const result = await runInProcess(args);
      assert.equal(result.code, 2);
      assert.match(result.stderr, stderr);
    });
  }
});

describe('sampled-stream emulator --osf', () => {
  it('serves the fake OSF with the given token until SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--osf', '--port', '0', '--token', 'osf-test-token'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await waitFor(() => stdout.includes('\n'), 'the listening line', 30_000);
      const match = /^Fake OSF listening on (http:\/\/127\.0\.0\.1:\d+) \(project (\w+)\)\n$/.exec(stdout);
      assert.ok(match, stdout);
      const root = `${match[1]}/v1/resources/${match[2]}/providers/osfstorage/`;
      assert.equal((await fetch(root, { headers: { authorization: 'Bearer osf-test-token' } })).status, 200);
      assert.equal((await fetch(root, { headers: { authorization: 'Bearer wrong' } })).status, 401);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });
});
