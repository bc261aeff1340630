import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/tmp.js';
import { missingMinutes, recordReceiptMinutes } from './receipt-minutes.js';

const at = (hhmm: string) => Date.parse(`2026-11-22T${hhmm}:00Z`);

describe('receipt minutes', () => {
  it('recordReceiptMinutes() and missingMinutes() tell which minutes of an hour a server had no file for', async () => {
    const staging = await tempDir();
    await recordReceiptMinutes(staging, [
      { server: 'server1', minuteStartMs: at('10:00') },
      { server: 'server1', minuteStartMs: at('10:02') },
      { server: 'server2', minuteStartMs: at('10:59') },
      { server: 'server1', minuteStartMs: at('11:00') },
    ]);
    // Recording a minute again (a re-ingest, a second segment) changes nothing.
    await recordReceiptMinutes(staging, [{ server: 'server1', minuteStartMs: at('10:02') }]);
    const missing1 = await missingMinutes(staging, at('10:00'), 'server1');
    assert.equal(missing1.length, 58);
    assert.deepEqual(missing1.slice(0, 2), [at('10:01'), at('10:03')]);
    assert.deepEqual((await missingMinutes(staging, at('10:00'), 'server2')).at(-1), at('10:58'));
    assert.equal((await missingMinutes(staging, at('12:00'), 'server1')).length, 60, 'an hour without any file');
  });
});
