import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { runSoak, DEFAULT_SOAK_OPTIONS } from '../src/demo/soak.js';
import { tempDir } from './helpers/tmp.js';

test('soak --minutes 2: faults of every kind, nothing lost outside declared gaps, nothing duplicated or left behind', { timeout: 360_000 }, async () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const result = await runSoak({ ...DEFAULT_SOAK_OPTIONS, minutes: 2, outputRoot: await tempDir() }, out);
  assert.deepEqual(result.failures, [], text);
  assert.ok(result.findings.required > 10_000, text);
  for (const kind of ['drop', 'stall', '429', '503', 'opdisconnect', 'split-utf8', 'kill-stream', 'kill-hourly', 'sync-outage']) {
    assert.ok((result.faults[kind] ?? 0) >= 1, `${kind} was injected\n${text}`);
  }
  assert.match(text, /^Soak passed\.$/m);
});
