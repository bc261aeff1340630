import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseHourKey } from '../contracts/index.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { idRange, labelZoneProblem } from './label-zone.js';

const EPOCH = 1288834974657n;
const idAt = (iso: string, sequence = 0) => (((BigInt(Date.parse(iso)) - EPOCH) << 22n) | BigInt(sequence)).toString();
const NAME = '2026-11-22_22_IDs.txt.xz';

describe('labelZoneProblem()', () => {
  const hour = parseHourKey('2026-11-22T22');
  const cases: Array<[what: string, first: string, last: string, zone: string, expected: string | null]> = [
    ['IDs of the hour', '2026-11-22T22:00:00.000Z', '2026-11-22T22:59:59.999Z', 'UTC', null],
    [
      'labels one hour ahead (Berlin read as UTC)',
      '2026-11-22T21:00:01Z',
      '2026-11-22T21:59:00Z',
      'UTC',
      `${NAME} holds tweets of 2026-11-22T21 UTC, not of 2026-11-22T22 UTC: the project's labels are in a zone 1 hour ahead of UTC; pass --timezone with the publisher's hourly.output_timezone`,
    ],
    [
      'labels behind (UTC read as Berlin)',
      '2026-11-22T23:10:00Z',
      '2026-11-22T23:50:00Z',
      'Europe/Berlin',
      `${NAME} holds tweets of 2026-11-22T23 UTC, not of 2026-11-22T22 UTC: the project's labels are in a zone 1 hour behind Europe/Berlin; pass --timezone with the publisher's hourly.output_timezone`,
    ],
    [
      'several hours off',
      '2026-11-23T03:00:00Z',
      '2026-11-23T03:30:00Z',
      'UTC',
      `${NAME} holds tweets of 2026-11-23T03 UTC, not of 2026-11-22T22 UTC: the project's labels are in a zone 5 hours behind UTC; pass --timezone with the publisher's hourly.output_timezone`,
    ],
    ['an ID past the hour', '2026-11-22T22:00:00Z', '2026-11-22T23:00:00Z', 'UTC', `${NAME} holds tweets created outside the hour 2026-11-22T22 UTC`],
  ];
  for (const [what, first, last, zone, expected] of cases) {
    it(what, () => assert.equal(labelZoneProblem(NAME, hour, zone, { first: idAt(first), last: idAt(last, 5) }), expected));
  }
});

describe('idRange()', () => {
  it('reads the first and last ID of an xz file with real xz, and null for an empty one', async () => {
    const dir = await tempDir();
    const ids = Array.from({ length: 50_000 }, (_, i) => idAt('2026-11-22T22:00:00Z', i));
    await writeFile(join(dir, 'ids.txt'), ids.map((id) => `${id}\n`).join(''));
    await writeFile(join(dir, 'empty.txt'), '');
    assert.equal(spawnSync('xz', ['-k', join(dir, 'ids.txt'), join(dir, 'empty.txt')]).status, 0);
    assert.deepEqual(await idRange(join(dir, 'ids.txt.xz')), { first: ids[0], last: ids.at(-1) });
    assert.equal(await idRange(join(dir, 'empty.txt.xz')), null);
  });
});
