import { StringDecoder } from 'node:string_decoder';

/**
 * Splits CSV text into records (each with its final '\n'): a '\n' ends a record only outside quotes, so fields
 * with quoted line breaks stay whole (DESIGN 3.3 quoting). Used to read published files back (late replay).
 */
export class CsvRecordSplitter {
  readonly #decoder = new StringDecoder('utf8');
  #pending = '';
  #scanned = 0;
  #inQuotes = false;

  /** The complete records in `chunk` plus what was left over before it. */
  push(chunk: Buffer): string[] {
    this.#pending += this.#decoder.write(chunk);
    const records: string[] = [];
    let start = 0;
    const text = this.#pending;
    for (let i = this.#scanned; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) this.#inQuotes = !this.#inQuotes;
      else if (c === 0x0a && !this.#inQuotes) {
        records.push(text.slice(start, i + 1));
        start = i + 1;
      }
    }
    this.#pending = text.slice(start);
    this.#scanned = this.#pending.length;
    return records;
  }

  /** Throws when the input ended inside a record (a file cut short). */
  end(): void {
    this.#pending += this.#decoder.end();
    if (this.#pending !== '') {
      throw new Error(`Cannot read CSV: the last record is not terminated: ${JSON.stringify(this.#pending.slice(0, 80))}`);
    }
  }
}

/** The first `count` fields of a record, unquoted. */
export function csvFields(record: string, count: number): string[] {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < count && i <= record.length) {
    if (record[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = record.indexOf('"', i);
        if (quote === -1) throw new Error(`Cannot read CSV record: unbalanced quotes in ${JSON.stringify(record.slice(0, 80))}`);
        value += record.slice(i, quote);
        if (record[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      fields.push(value);
      i++; // the ',' or '\n' after the closing quote
    } else {
      let end = i;
      while (end < record.length && record[end] !== ',' && record[end] !== '\n') end++;
      fields.push(record.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}
