import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runJob, startScheduler, type Job } from '../src/scheduler/index.js';
import { logSink } from './helpers/log-sink.js';
import { testSettings } from './helpers/settings.js';
import { tempDir } from './helpers/tmp.js';

const MAIN = join(import.meta.dirname, '..', 'src', 'cli', 'main.ts');

/** A job whose child is `node -e <script>`. */
function nodeJob(script: string, extra: Partial<Job> = {}): Job {
  return { name: 'watch', cron: '* * * * * *', timezone: 'UTC', timeoutMs: 10_000, command: process.execPath, args: ['-e', script], ...extra };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(25);
  }
}

describe('runJob()', () => {
  const cases: Array<{
    name: string;
    script?: string;
    command?: [string, ...string[]];
    timeoutMs?: number;
    result: string;
    exitCode: number | null;
    signal: string | null;
  }> = [
    { name: 'reports a clean exit as ok', script: 'process.exit(0)', result: 'ok', exitCode: 0, signal: null },
    { name: 'reports a non-zero exit as failed', script: 'process.exit(3)', result: 'failed', exitCode: 3, signal: null },
    {
      name: 'sends SIGTERM to a child past its timeout',
      script: 'setTimeout(() => {}, 60000)',
      timeoutMs: 300,
      result: 'timed-out',
      exitCode: null,
      signal: 'SIGTERM',
    },
    {
      name: 'sends SIGKILL to a child that ignores SIGTERM',
      // An ignored signal stays ignored across exec, so the child ignores SIGTERM from its first instruction.
      command: ['/bin/sh', '-c', 'trap "" TERM; exec sleep 60'],
      timeoutMs: 300,
      result: 'timed-out',
      exitCode: null,
      signal: 'SIGKILL',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const sink = logSink();
      const [command, ...args] = c.command ?? [process.execPath, '-e', c.script ?? ''];
      const job = nodeJob('', { command, args, ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}) });
      const outcome = await runJob(job, { log: sink.log, killGraceMs: 300 });
      assert.equal(outcome.result, c.result);
      assert.equal(outcome.exitCode, c.exitCode);
      assert.equal(outcome.signal, c.signal);
      const [started, finished] = sink.lines();
      assert.equal(started?.msg, 'job started');
      assert.equal(typeof started?.pid, 'number');
      assert.equal(finished?.job, 'watch');
      assert.equal(finished?.result, c.result);
      assert.equal(typeof finished?.durationMs, 'number');
    });
  }

  it('stops a running child when the scheduler stops', async () => {
    const stopping = new AbortController();
    const run = runJob(nodeJob('setTimeout(() => {}, 60000)'), { log: logSink().log, killGraceMs: 300, signal: stopping.signal });
    await sleep(200);
    stopping.abort();
    const outcome = await run;
    assert.equal(outcome.result, 'stopped');
    assert.equal(outcome.signal, 'SIGTERM');
  });

  it('reports a command that cannot start as failed', async () => {
    const sink = logSink();
    const outcome = await runJob(nodeJob('', { command: '/nonexistent/sampled-stream' }), { log: sink.log, killGraceMs: 100 });
    assert.equal(outcome.result, 'failed');
    assert.match(JSON.stringify(sink.lines().at(-1)?.err), /ENOENT/);
  });
});

describe('startScheduler()', () => {
  it('runs a job on its schedule and never twice at once', async () => {
    const dir = await tempDir();
    const marks = join(dir, 'marks');
    const sink = logSink();
    // Every second; each run takes 1.5 s, so every other turn finds it still running.
    const script = `require('fs').appendFileSync(${JSON.stringify(marks)}, 'x'); setTimeout(() => {}, 1500)`;
    const scheduler = startScheduler({ jobs: [nodeJob(script)], log: sink.log, killGraceMs: 500 });
    const runs = async () => (await readFile(marks, 'utf8').catch(() => '')).length;
    try {
      await until(async () => (await runs()) >= 2, 6_000);
    } finally {
      await scheduler.stop();
    }
    const messages = sink.lines().map((line) => line.msg);
    assert.ok(messages.includes('job still running, turn skipped'));
    assert.equal(messages.filter((m) => m === 'job started').length, await runs());
    assert.equal(messages.at(-1), 'scheduler stopped');
  });

  it('stop() ends a long job with SIGTERM instead of waiting for it', async () => {
    const sink = logSink();
    const scheduler = startScheduler({ jobs: [nodeJob('setTimeout(() => {}, 60000)')], log: sink.log, killGraceMs: 500 });
    await until(() => sink.lines().some((line) => line.msg === 'job started'), 3_000);
    const stoppedAt = Date.now();
    await scheduler.stop();
    // Far below the job's 60 s, so stop() did not wait for it; loose enough for a loaded machine.
    assert.ok(Date.now() - stoppedAt < 30_000);
    const stopped = sink.lines().find((line) => line.msg === 'job stopped');
    assert.equal(stopped?.signal, 'SIGTERM');
  });
});

describe('sampled-stream scheduler (command)', () => {
  it('logs its job table as JSON and exits 0 on SIGTERM', async () => {
    const { configPath } = await testSettings(await tempDir(), {
      server: 'server2',
      schedule: { sync: '0 0 1 1 *', watch: '0 0 1 1 *' },
    });
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'scheduler', '--config', configPath], {
      env: { ...process.env, SAMPLED_STREAM_ALLOW_ROOT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      await until(() => stdout.includes('scheduler started'), 20_000);
      child.kill('SIGTERM');
      const [code, signal] = await exited;
      assert.deepEqual([code, signal], [0, null], stdout);
    } finally {
      child.kill('SIGKILL');
    }
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const started = lines.find((line) => line.msg === 'scheduler started');
    assert.deepEqual(
      (started?.jobs as Array<Record<string, unknown>>).map((job) => [job.name, job.cron, job.timezone]),
      [
        ['sync', '0 0 1 1 *', 'UTC'],
        ['watch', '0 0 1 1 *', 'UTC'],
      ],
    );
    assert.equal(lines.at(-1)?.msg, 'scheduler stopped');
  });
});
