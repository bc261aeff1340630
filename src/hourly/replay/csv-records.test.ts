import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { csvRecord } from '../../merge/index.js';
import { csvRecords, type CsvRecord } from './csv-records.js';

async function readAll(text: string, chunkBytes: number): Promise<CsvRecord[]> {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkBytes) chunks.push(bytes.subarray(at, at + chunkBytes));
  const records: CsvRecord[] = [];
  for await (const record of csvRecords(Readable.from(chunks))) records.push(record);
  return records;
}

describe('csvRecords()', () => {
  const rows = [
    ['1', 'plain', ''],
    ['2', 'a,b', 'say "hi"'],
    ['3', 'multi\nline', 'lone\rreturn'],
    ['4', '😀 ü 東京', 'NA'],
  ];
  const text = rows.map(csvRecord).join('');

  it('csvRecords() reads back what csvRecord() wrote, fields unquoted and records as written, whatever the chunking', async () => {
    for (const size of [1, 3, 7, Buffer.byteLength(text)]) {
      const records = await readAll(text, size);
      assert.deepEqual(records.map((r) => r.raw), rows.map(csvRecord), `chunks of ${size} bytes`);
      assert.deepEqual(records.map((r) => r.fields), rows, `chunks of ${size} bytes`);
    }
  });

  it('csvRecords() reads records of different lengths (a header and rows of another schema)', async () => {
    const records = await readAll(csvRecord(['id', 'text']) + csvRecord(['7', 'x,y', 'z']), 5);
    assert.deepEqual(records.map((r) => r.fields), [['id', 'text'], ['7', 'x,y', 'z']]);
  });

  it('csvRecords() refuses input cut inside a record', async () => {
    await assert.rejects(readAll('1,abc\n2,cut', 4), /Cannot read CSV: the last record is not terminated: "2,cut"/);
    await assert.rejects(readAll('1,"open\n', 4), /Quote Not Closed/);
  });
});
