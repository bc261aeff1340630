import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../test/helpers/tmp.js';
import { SendLedger, parseLedger } from './send-ledger.js';

test('SendLedger writes conn<TAB>id<TAB>sent_at_ms lines that parseLedger() reads back, complete after close()', async () => {
  const path = join(await tempDir(), 'ledger.tsv');
  const ledger = await SendLedger.open(path);
  ledger.record(1, ['11', '12'], 1_000);
  ledger.record(2, ['11'], 1_005);
  ledger.record(2, [], 1_006);
  await ledger.close();
  ledger.record(3, ['13'], 1_010);
  const text = await readFile(path, 'utf8');
  assert.equal(text, '1\t11\t1000\n1\t12\t1000\n2\t11\t1005\n');
  assert.deepEqual(parseLedger(text), [
    { connection: 1, id: '11', sentAtMs: 1000 },
    { connection: 1, id: '12', sentAtMs: 1000 },
    { connection: 2, id: '11', sentAtMs: 1005 },
  ]);
});

const badLines: Array<[string, string]> = [
  ['a missing column', '1\t11\n'],
  ['a non-numeric ID', '1\tabc\t1000\n'],
  ['spaces instead of tabs', '1 11 1000\n'],
];
for (const [name, text] of badLines) {
  test(`parseLedger() names the line with ${name}`, () => {
    assert.throws(() => parseLedger(`1\t10\t999\n${text}`), /^Error: Ledger line 2 is not "conn<TAB>id<TAB>sent_at_ms"/);
  });
}

test('SendLedger.open() names the file it cannot create', async () => {
  await assert.rejects(SendLedger.open(join(await tempDir(), 'missing', 'ledger.tsv')), /Cannot open the emulator ledger .*missing\/ledger\.tsv/);
});
