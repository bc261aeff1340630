import { pipeline, type Readable } from 'node:stream';
import { parse } from 'csv-parse';

/** One CSV record: its fields, unquoted, and its text as it stands in the file (with its final '\n'). */
export interface CsvRecord {
  fields: string[];
  raw: string;
}

/**
 * The records of CSV text, read by csv-parse (DESIGN 3.3 quoting: a quoted field may hold line breaks). Used to
 * read published files back (late replay), which copies unchanged records byte for byte. Input cut inside a
 * record (a file cut short) is refused.
 */
export async function* csvRecords(source: Readable): AsyncGenerator<CsvRecord> {
  const parser = pipeline(source, parse({ raw: true, record_delimiter: '\n', relax_column_count: true }), () => undefined);
  for await (const { record, raw } of parser as AsyncIterable<{ record: string[]; raw: string }>) {
    if (!raw.endsWith('\n')) {
      throw new Error(`Cannot read CSV: the last record is not terminated: ${JSON.stringify(raw.slice(0, 80))}`);
    }
    yield { fields: record, raw };
  }
}
