import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { tempDir } from './helpers/tmp.js';

const run = promisify(execFile);
const UNIT_DIR = join(import.meta.dirname, '..', 'systemd');
const BINARY = '/usr/local/bin/sampled-stream';

type Unit = Record<string, Record<string, string[]>>;

/** Sections -> key -> every value given (systemd keys may repeat). */
function parseUnit(text: string): Unit {
  const unit: Unit = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      unit[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    (unit[section]![key] ??= []).push(line.slice(eq + 1));
  }
  return unit;
}

const files = (await readdir(UNIT_DIR)).filter((name) => /\.(service|timer)$/.test(name)).sort();
const units = new Map<string, Unit>();
for (const name of files) units.set(name, parseUnit(await readFile(join(UNIT_DIR, name), 'utf8')));
const services = files.filter((name) => name.endsWith('.service'));
const value = (name: string, section: string, key: string) => units.get(name)?.[section]?.[key];

describe('systemd units', () => {
  it('ships the daemon, the scheduler, a timer and service per job, and the failure notifier', () => {
    assert.deepEqual(files, [
      'sampled-stream-hourly.service',
      'sampled-stream-hourly.timer',
      'sampled-stream-notify@.service',
      'sampled-stream-report.service',
      'sampled-stream-report.timer',
      'sampled-stream-scheduler.service',
      'sampled-stream-sync.service',
      'sampled-stream-sync.timer',
      'sampled-stream-watch.service',
      'sampled-stream-watch.timer',
      'sampled-stream.service',
    ]);
  });

  it('pass systemd-analyze verify without a warning', async () => {
    try {
      await access('/usr/bin/systemd-analyze');
    } catch {
      assert.fail("systemd-analyze is missing: install it with 'apt-get install -y systemd'");
    }
    // verify insists that ExecStart= binaries exist: point copies of the units at a stub executable.
    const dir = await tempDir();
    const stub = join(dir, 'sampled-stream');
    await writeFile(stub, '#!/bin/sh\nexit 0\n');
    await chmod(stub, 0o755);
    for (const name of files) {
      const text = await readFile(join(UNIT_DIR, name), 'utf8');
      await writeFile(join(dir, name), text.replaceAll(BINARY, stub));
    }
    const { stderr } = await run('systemd-analyze', ['verify', ...files.map((name) => join(dir, name))], {
      env: { ...process.env, SYSTEMD_LOG_COLOR: '0' },
    });
    const ours = stderr.split('\n').filter((line) => line.includes('sampled-stream'));
    assert.deepEqual(ours, []);
  });

  for (const name of services) {
    it(`${name} runs unprivileged and sandboxed`, () => {
      const service = units.get(name)!.Service!;
      const expected: Record<string, string> = {
        User: 'sampled-stream',
        Group: 'sampled-stream',
        Environment: 'SAMPLED_STREAM_CONFIG=/etc/sampled-stream/server_settings.json',
        NoNewPrivileges: 'yes',
        ProtectSystem: 'strict',
        ReadWritePaths: '/var/lib/sampled-stream',
        PrivateTmp: 'yes',
        ProtectHome: 'yes',
        ProtectKernelTunables: 'yes',
        ProtectKernelModules: 'yes',
        ProtectKernelLogs: 'yes',
        ProtectControlGroups: 'yes',
        RestrictAddressFamilies: 'AF_INET AF_INET6 AF_UNIX',
        LockPersonality: 'yes',
        CapabilityBoundingSet: '',
      };
      for (const [key, want] of Object.entries(expected)) assert.deepEqual(service[key], [want], `${name} ${key}`);
      assert.match(service.ExecStart![0]!, /^\/usr\/local\/bin\/sampled-stream [a-z]/);
    });
  }

  it('sampled-stream.service restarts the daemon and reports every stop (DESIGN 8)', () => {
    const unit = units.get('sampled-stream.service')!;
    assert.deepEqual(unit.Service!.ExecStart, ['/usr/local/bin/sampled-stream stream']);
    assert.deepEqual(unit.Service!.ExecStopPost, [
      '/usr/local/bin/sampled-stream notify daemon-stopped --result=${SERVICE_RESULT} --status=${EXIT_STATUS}',
    ]);
    assert.deepEqual(unit.Service!.Restart, ['always']);
    assert.deepEqual(unit.Service!.RestartSec, ['5']);
    assert.deepEqual(unit.Unit!.OnFailure, ['sampled-stream-notify@%n.service']);
    assert.ok(Number.parseInt(unit.Unit!.StartLimitBurst![0]!, 10) > 1);
    assert.deepEqual(unit.Install!.WantedBy, ['multi-user.target']);
  });

  it('the notifier reports the failed unit by name', () => {
    assert.deepEqual(value('sampled-stream-notify@.service', 'Service', 'ExecStart'), [
      '/usr/local/bin/sampled-stream notify unit-failed --unit %i',
    ]);
  });

  for (const job of ['sync', 'hourly', 'report', 'watch']) {
    it(`sampled-stream-${job}.timer starts sampled-stream-${job}.service, which runs '${job}' once`, () => {
      assert.deepEqual(value(`sampled-stream-${job}.service`, 'Service', 'ExecStart'), [`/usr/local/bin/sampled-stream ${job}`]);
      assert.deepEqual(value(`sampled-stream-${job}.service`, 'Service', 'Type'), ['oneshot']);
      assert.ok(value(`sampled-stream-${job}.timer`, 'Timer', 'OnCalendar'));
      assert.deepEqual(value(`sampled-stream-${job}.timer`, 'Unit', 'Conflicts'), ['sampled-stream-scheduler.service']);
      assert.deepEqual(value(`sampled-stream-${job}.timer`, 'Install', 'WantedBy'), ['timers.target']);
    });
  }

  it('hourly and the scheduler run with lowered CPU and I/O priority', () => {
    for (const name of ['sampled-stream-hourly.service', 'sampled-stream-scheduler.service']) {
      assert.deepEqual(value(name, 'Service', 'Nice'), ['10']);
      assert.deepEqual(value(name, 'Service', 'IOSchedulingClass'), ['best-effort']);
      assert.deepEqual(value(name, 'Service', 'IOSchedulingPriority'), ['7']);
      assert.deepEqual(value(name, 'Service', 'CPUWeight'), ['20']);
    }
  });
});
