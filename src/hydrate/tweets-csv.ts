import { createReadStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import lzma from 'lzma-native';
import { csvHeader, csvRecord, tweetColumns, tweetRow, type StreamMessage } from '../merge/index.js';
import { openAtomicWriter } from '../platform/atomic-write.js';
import type { TweetLookupBody } from '../xapi/index.js';

/** xz preset of the CSV: the vault's default (DESIGN 6). */
const CSV_XZ_PRESET = 6;

/** One JSONL line of OUT: a lookup answer plus our `__meta.retrieved_at`. */
export type HydratedLine = TweetLookupBody & { __meta: { retrieved_at: string } };

/** The tweets CSV records (DESIGN 3.3, the original 20 columns) of one OUT line, each tweet with its author. */
export function csvRecordsOf(line: HydratedLine): string {
  let records = '';
  for (const tweet of line.data ?? []) {
    const message: StreamMessage = { data: { ...tweet }, includes: { ...line.includes }, __meta: line.__meta };
    records += csvRecord(tweetRow(message, 'original'));
  }
  return records;
}

/**
 * Writes the tweets CSV of everything in OUT (`.xz` compressed when the name ends in `.xz`), rows in OUT's order,
 * atomically: a reader sees no CSV or the whole one. Returns the number of rows.
 */
export async function writeTweetsCsv(outPath: string, csvPath: string): Promise<number> {
  const writer = await openAtomicWriter(csvPath);
  const compressor = csvPath.endsWith('.xz') ? lzma.createCompressor({ preset: CSV_XZ_PRESET, check: lzma.CHECK_CRC64 }) : null;
  const sink = compressor ?? writer.stream;
  const done = compressor ? pipeline(compressor, writer.stream) : Promise.resolve();
  done.catch(() => undefined);
  let rows = 0;
  const write = async (text: string) => {
    if (!sink.write(text)) await Promise.race([once(sink, 'drain'), done]);
  };
  try {
    await write(csvHeader(tweetColumns('original')));
    for await (const text of createInterface({ input: createReadStream(outPath), crlfDelay: Infinity })) {
      if (text === '') continue;
      const line = JSON.parse(text) as HydratedLine;
      rows += line.data?.length ?? 0;
      await write(csvRecordsOf(line));
    }
    if (compressor) {
      compressor.end();
      await done;
    }
    await writer.commit();
  } catch (err) {
    compressor?.destroy();
    await writer.abort();
    throw err;
  }
  return rows;
}
