import assert from 'node:assert/strict';
import { appendFile, readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/tmp.js';
import { appendLateLines, lateFiles, removeLateFiles } from './late-store.js';
import { latePath } from '../../contracts/staging-layout.js';

const lines = (...texts: string[]) => texts.map((text) => Buffer.from(text));

describe('late store', () => {
  it('appendLateLines() appends each source once and cuts a torn append back before appending again', async () => {
    const staging = await tempDir();
    const path = latePath(staging, '2026-11-20T10', 'server2');
    assert.equal(await appendLateLines(staging, '2026-11-20T10', 'server2', 'a.jsonl', lines('{"a":1}', '{"a":2}')), 2);
    assert.equal(await appendLateLines(staging, '2026-11-20T10', 'server2', 'a.jsonl', lines('{"a":1}', '{"a":2}')), 0);
    // A crash in the middle of the next append leaves a partial line behind the committed bytes.
    await appendFile(path, '{"b":');
    assert.equal(await appendLateLines(staging, '2026-11-20T10', 'server2', 'b.jsonl', lines('{"b":1}')), 1);
    assert.equal(await readFile(path, 'utf8'), '{"a":1}\n{"a":2}\n{"b":1}\n');
    assert.deepEqual(await lateFiles(staging, '2026-11-20T10'), [{ server: 'server2', path }]);
    await removeLateFiles(staging, '2026-11-20T10');
    assert.deepEqual(await lateFiles(staging, '2026-11-20T10'), []);
  });
});
