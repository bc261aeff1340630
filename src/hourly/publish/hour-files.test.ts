import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../../test/helpers/tmp.js';
import type { ChunkRef } from '../../contracts/copy-index.js';
import { csvHeader, csvRecord, tweetColumns, tweetRow, USER_COLUMNS, userRow, type StreamMessage } from '../../merge/index.js';
import { idTextBlocks, userSources, type HourRows } from '../../merge/merge-copies.js';
import { isolatedReads } from '../staging/chunk-reader.js';
import { writeHourFiles } from './hour-files.js';
import { openXzFile, type XzOptions } from './xz-file.js';

const XZ: XzOptions = { preset: 1, threads: 2, blockBytes: 1 << 20 };
const TEXTS = ['plain words', 'für naïve café 東京 사랑해 😀🎉 👍🏽', 'a,b "quoted" it\'s', 'new\nline', 'lone\rreturn', 'lone \ud83d surrogate'];

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function message(id: bigint, author: bigint, random: () => number): string {
  const text = Array.from({ length: 4 + Math.floor(random() * 30) }, () => TEXTS[Math.floor(random() * TEXTS.length)]).join(' ');
  const data = { id: String(id), author_id: author === 0n ? undefined : String(author), created_at: '2026-11-22T10:00:00.000Z', text, lang: 'en' };
  const users = author === 0n ? [] : [{ id: String(author), name: `name ${author} ü`, username: `u${author}`, verified: random() < 0.5 }];
  return JSON.stringify({ data, includes: { users }, __meta: { retrieved_at: '2026-11-22T10:00:01.000Z', server: 'server1' } });
}

/**
 * Two staged chunks of several windows each, lines in arrival order: rows (in ID order) jitter within a few
 * hundred lines, a few land far away (isolated reads), one text is 200,000 characters (a batch overflows).
 */
async function stagedHour(dir: string): Promise<{ rows: HourRows; lines: string[] }> {
  const random = prng(7);
  const count = 24_000;
  const ids = Array.from({ length: count }, (_, i) => 1_600_000_000_000_000_000n + BigInt(i) * 4096n);
  const authors = ids.map((_, i) => (i % 50 === 0 ? 0n : 100n + BigInt(Math.floor(random() * 3000))));
  const lines = ids.map((id, i) => message(id, authors[i]!, random));
  lines[count >> 1] = lines[count >> 1]!.replace('"text":"', `"text":"${'長い'.repeat(100_000)}`);
  const chunkOfRow = ids.map((_, i) => i % 2);
  // Arrival position: ID position plus jitter; every 500th line arrives far later.
  const arrival = ids.map((_, i) => i + random() * 300 + (i % 500 === 0 ? 20_000 : 0));
  const chunks: ChunkRef[] = [];
  const offsets = new Float64Array(count);
  const lengths = new Uint32Array(count);
  for (const c of [0, 1]) {
    const order = ids.map((_, i) => i).filter((i) => chunkOfRow[i] === c).sort((a, b) => arrival[a]! - arrival[b]!);
    let offset = 0;
    const parts: Buffer[] = [];
    for (const row of order) {
      const bytes = Buffer.from(`${lines[row]!}\n`);
      offsets[row] = offset;
      lengths[row] = bytes.length - 1;
      offset += bytes.length;
      parts.push(bytes);
    }
    const dataPath = join(dir, `chunk${c}`);
    await writeFile(dataPath, Buffer.concat(parts));
    chunks.push({ server: c === 0 ? 'server1' : 'server2', name: `chunk${c}`, key: `c${c}`, dataPath });
  }
  const rows: HourRows = {
    count,
    ids: BigUint64Array.from(ids),
    authors: BigUint64Array.from(authors),
    chunkOf: Uint32Array.from(chunkOfRow),
    offsets,
    lengths,
    chunks,
  };
  return { rows, lines };
}

async function compressed(dir: string, name: string, text: string): Promise<Buffer> {
  const file = await openXzFile(join(dir, name), XZ);
  await file.write(Buffer.from(text));
  await file.finish();
  await file.commit();
  return readFile(join(dir, name));
}

describe('writeHourFiles()', () => {
  // The default users slice holds every users row here; 4096 bytes takes many slices, 1 byte one row each.
  for (const usersSliceBytes of [undefined, 4096, 1]) {
    it(`writes the files byte for byte as formatting every row in one string and compressing it in one write (users slice ${usersSliceBytes ?? 'default'})`, async () => {
      const dir = await tempDir();
      const { rows, lines } = await stagedHour(dir);
      const messages = lines.map((line) => JSON.parse(line) as StreamMessage);
      const expected = {
        tweets: csvHeader(tweetColumns('original')) + messages.map((m) => csvRecord(tweetRow(m, 'original'))).join(''),
        users: csvHeader(USER_COLUMNS) + [...userSources(rows)].map((row) => csvRecord(userRow(messages[row]!))).join(''),
        ids: [...idTextBlocks(rows)].join(''),
      };
      const paths = { ids: join(dir, 'ids.xz'), tweets: join(dir, 'tweets.xz'), users: join(dir, 'users.xz') };
      const scratchPath = join(dir, 'scratch');
      const files = await writeHourFiles({ rows, schema: 'original', paths, xz: XZ, scratchPath, usersSliceBytes });
      for (const file of [files.ids, files.tweets, files.users]) await file.commit();
      for (const name of ['ids', 'tweets', 'users'] as const) {
        const ours = await readFile(paths[name]);
        const text = execFileSync('xz', ['-dc', paths[name]], { maxBuffer: 1 << 28 });
        assert.ok(text.equals(Buffer.from(expected[name])), `${name}: same content`);
        assert.ok(ours.equals(await compressed(dir, `${name}.reference.xz`, expected[name])), `${name}: same compressed bytes`);
      }
      assert.ok(expected.users.split('\n').length > 2000, 'many users rows');
      assert.ok(isolatedReads(rows.chunkOf, rows.offsets, 2).includes(1), 'some reads are isolated');
      await assert.rejects(access(scratchPath), 'the scratch file is removed');
    });
  }
});
