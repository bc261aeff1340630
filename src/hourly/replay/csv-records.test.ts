import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvRecord } from '../../merge/index.js';
import { CsvRecordSplitter, csvFields } from './csv-records.js';

describe('CSV records', () => {
  const rows = [
    ['1', 'plain', ''],
    ['2', 'a,b', 'say "hi"'],
    ['3', 'multi\nline', 'lone\rreturn'],
    ['4', '😀 ü 東京', 'NA'],
  ];
  const text = rows.map(csvRecord).join('');

  it('CsvRecordSplitter splits records, whatever the chunking, and csvFields() unquotes them', () => {
    const bytes = Buffer.from(text);
    for (const size of [1, 3, 7, bytes.length]) {
      const splitter = new CsvRecordSplitter();
      const records: string[] = [];
      for (let at = 0; at < bytes.length; at += size) records.push(...splitter.push(bytes.subarray(at, at + size)));
      splitter.end();
      assert.deepEqual(records, rows.map(csvRecord), `chunks of ${size} bytes`);
      assert.deepEqual(records.map((r) => csvFields(r, 3)), rows);
    }
  });

  it('csvFields() stops after the fields asked for', () => {
    assert.deepEqual(csvFields(csvRecord(['7', 'x,y', 'z', 'w']), 2), ['7', 'x,y']);
  });

  it('end() refuses input cut inside a record', () => {
    const splitter = new CsvRecordSplitter();
    splitter.push(Buffer.from('1,"open\n'));
    assert.throws(() => splitter.end(), /Cannot read CSV: the last record is not terminated/);
  });
});
