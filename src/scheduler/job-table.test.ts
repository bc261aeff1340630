import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import cron from 'node-cron';
import { parseSettings } from '../config/index.js';
import { dailyCron, jobTable, type SelfCommand } from './job-table.js';

const self: SelfCommand = {
  execPath: '/usr/bin/node',
  entryArgs: ['/opt/sampled-stream/bin/sampled-stream.js'],
  configPath: '/etc/sampled-stream/server_settings.json',
};

function settings(overrides: Record<string, unknown>) {
  return parseSettings(
    {
      server: 'server1',
      paths: { spool: '/var/lib/s/spool', state: '/var/lib/s/state', staging: '/var/lib/s/staging', vault: '/var/lib/s/vault' },
      x_api: { bearer_token_file: '/etc/sampled-stream/token' },
      ...overrides,
    },
    '/etc/sampled-stream/server_settings.json',
  );
}

const email = { enabled: true, smtp_host: 'smtp.example.org', from: 'a@example.org', to: ['b@example.org'] };

describe('jobTable()', () => {
  const cases: Array<{ name: string; overrides: Record<string, unknown>; jobs: Array<[string, string, string, number]> }> = [
    {
      name: 'server 2 runs sync and watch every minute, on UTC',
      overrides: { server: 'server2' },
      jobs: [
        ['sync', '* * * * *', 'UTC', 600_000],
        ['watch', '* * * * *', 'UTC', 120_000],
      ],
    },
    {
      name: 'server 1 without email runs hourly and watch',
      overrides: {},
      jobs: [
        ['hourly', '*/5 * * * *', 'UTC', 3_300_000],
        ['watch', '* * * * *', 'UTC', 120_000],
      ],
    },
    {
      name: 'server 1 with email adds the daily report at report_time in output_timezone',
      overrides: { email: { ...email, report_time: '06:30' }, hourly: { output_timezone: 'Europe/Berlin' } },
      jobs: [
        ['hourly', '*/5 * * * *', 'UTC', 3_300_000],
        ['report', '30 6 * * *', 'Europe/Berlin', 600_000],
        ['watch', '* * * * *', 'UTC', 120_000],
      ],
    },
    {
      name: 'schedules come from the settings',
      overrides: { server: 'server2', schedule: { sync: '*/2 * * * *', watch: '15 * * * *' } },
      jobs: [
        ['sync', '*/2 * * * *', 'UTC', 600_000],
        ['watch', '15 * * * *', 'UTC', 120_000],
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const jobs = jobTable(settings(c.overrides), self);
      assert.deepEqual(
        jobs.map((job) => [job.name, job.cron, job.timezone, job.timeoutMs]),
        c.jobs,
      );
      for (const job of jobs) {
        assert.ok(cron.validate(job.cron), `node-cron accepts ${job.cron}`);
        assert.equal(job.command, '/usr/bin/node');
        assert.deepEqual(job.args, ['/opt/sampled-stream/bin/sampled-stream.js', job.name, '--config', self.configPath]);
      }
    });
  }

  it('builds report times node-cron accepts for every minute of the day', () => {
    assert.equal(dailyCron('02:00'), '0 2 * * *');
    assert.equal(dailyCron('23:59'), '59 23 * * *');
    for (let minute = 0; minute < 24 * 60; minute += 7) {
      const time = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      assert.ok(cron.validate(dailyCron(time)), time);
    }
  });
});
