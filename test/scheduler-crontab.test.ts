import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import cron from 'node-cron';
import { parseSettings } from '../src/config/index.js';
import { jobTable } from '../src/scheduler/index.js';

const CRON_DIR = join(import.meta.dirname, '..', 'cron');

interface CronLine {
  schedule: string;
  user: string;
  command: string;
  /** CRON_TZ in force for this line. */
  timezone: string;
}

/** Entries of an /etc/cron.d file (five time fields, user, command) and its variables. */
function parseCronD(text: string): { env: Record<string, string>; lines: CronLine[] } {
  const env: Record<string, string> = {};
  const lines: CronLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const variable = /^([A-Z_]+)=(.*)$/.exec(line);
    if (variable) {
      env[variable[1]!] = variable[2]!;
      continue;
    }
    const fields = line.split(/\s+/);
    lines.push({ schedule: fields.slice(0, 5).join(' '), user: fields[5]!, command: fields.slice(6).join(' '), timezone: env.CRON_TZ ?? 'UTC' });
  }
  return { env, lines };
}

function defaults(server: 'server1' | 'server2') {
  return parseSettings(
    {
      server,
      paths: { spool: '/var/lib/s/spool', state: '/var/lib/s/state', staging: '/var/lib/s/staging', vault: '/var/lib/s/vault' },
      x_api: { bearer_token_file: '/etc/sampled-stream/token' },
      email: { enabled: true, smtp_host: 'smtp.example.org', from: 'a@example.org', to: ['b@example.org'] },
    },
    '/etc/sampled-stream/server_settings.json',
  );
}

describe('cron/ crontabs', () => {
  for (const server of ['server1', 'server2'] as const) {
    it(`${server}.crontab runs the scheduler's jobs, at its default times, as the service user`, async () => {
      const { env, lines } = parseCronD(await readFile(join(CRON_DIR, `${server}.crontab`), 'utf8'));
      assert.equal(env.SAMPLED_STREAM_CONFIG, '/etc/sampled-stream/server_settings.json');
      assert.equal(env.MAILTO, '""');
      const expected = jobTable(defaults(server), { execPath: 'node', entryArgs: [], configPath: '/x' })
        .map((job) => [job.name, job.cron, job.timezone])
        .sort();
      const actual = lines.map((line) => {
        assert.ok(cron.validate(line.schedule), line.schedule);
        assert.equal(line.user, 'sampled-stream');
        const match = /^\/usr\/local\/bin\/sampled-stream (\w+) 2>&1 \| logger -t sampled-stream-(\w+)$/.exec(line.command);
        assert.ok(match, line.command);
        assert.equal(match[1], match[2]);
        return [match[1], line.schedule, line.timezone];
      });
      assert.deepEqual(actual.sort(), expected);
    });
  }
});
