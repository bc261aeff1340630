import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runDemo } from '../src/demo/run-demo.js';
import { tempDir } from './helpers/tmp.js';

test('runDemo() shows each daemon gap recovered by the other server and leaves the published files', async () => {
  const outputRoot = await tempDir();
  const out = new PassThrough();
  let text = '';
  out.on('data', (c) => (text += c));
  const layout = await runDemo(outputRoot, out, { collectS: 24, syncEveryS: 6, server1StallAtS: 6, server2DropAtS: 14, server2OutageS: 4 });
  const recovered = [...text.matchAll(/^(server[12]) gap \d\d:\d\d:\d\d-\d\d:\d\d:\d\d recovered by (server[12]): (\d+) tweets$/gm)];
  assert.deepEqual(recovered.map((m) => [m[1], m[2]]), [['server1', 'server2'], ['server2', 'server1']], text);
  for (const m of recovered) assert.ok(Number(m[3]) > 0, text);

  const [day] = await readdir(join(layout.root, 'server1', 'vault'));
  const vaultDay = join(layout.root, 'server1', 'vault', day!);
  execFileSync('sha256sum', ['-c', '--quiet', `${day}_SHA256SUMS`], { cwd: vaultDay });
  const ids = (await readdir(vaultDay)).filter((f) => f.endsWith('_IDs.txt.xz'));
  assert.ok(ids.length >= 1);
  // Real time: a run across a full hour publishes two hours, the first perhaps of a few seconds only.
  const published = ids.map((f) => execFileSync('xzcat', [join(vaultDay, f)]).toString().split('\n').length - 1);
  assert.ok(published.reduce((a, b) => a + b, 0) > 100, `IDs per hour: ${published.join(', ')}`);
  await access(join(layout.root, 'daily-report.eml'));
  assert.match(await readFile(join(layout.root, 'daily-report.html'), 'utf8'), /<table/);
  assert.ok((await readdir(layout.osfStorage, { recursive: true })).some((f) => f.endsWith('_IDs.txt.xz')));

  // The researcher's half: the published hours come back from the fake OSF intact and hydrate in full.
  assert.match(text, /download: \d+ hours .*: \d+ downloaded, 0 unchanged, 0 replaced, 0 missing, 0 failed/, text);
  const downloaded = execFileSync('xzcat', [join(layout.root, 'download', day!, ids[0]!)]);
  assert.deepEqual(downloaded, execFileSync('xzcat', [join(vaultDay, ids[0]!)]));
  const requested = Number(/requested ([\d,]+) IDs/.exec(text)?.[1]?.replace(/,/g, ''));
  assert.ok(requested > 100 && requested <= 1000, text);
  assert.match(text, new RegExp(`found\\s+${requested.toLocaleString('en-US')}\n`), text);
  assert.match(text, /missing\s+0\n/, text);
  const hydrated = (await readFile(join(layout.root, 'hydrate', 'tweets.jsonl'), 'utf8')).trimEnd().split('\n');
  assert.equal(hydrated.length, Math.ceil(requested / 100));
});
