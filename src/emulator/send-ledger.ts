import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

/**
 * The emulator's record of what it wrote to each connection (`--ledger FILE`): one line
 * `conn<TAB>id<TAB>sent_at_ms` per tweet, where `conn` is the connection's number (1 = the first accepted)
 * and `sent_at_ms` the emulator clock when the write holding the tweet reached the kernel. Durability tests
 * compare it with the spool. An append log, not a state file: lines are buffered by the write stream and
 * complete once close() resolves.
 */
export class SendLedger {
  readonly #out: WriteStream;
  #closed = false;

  private constructor(out: WriteStream) {
    this.#out = out;
  }

  /** Creates (or empties) `path`; rejects naming the file when it cannot be opened. */
  static async open(path: string): Promise<SendLedger> {
    const out = createWriteStream(path, { flags: 'w' });
    try {
      await once(out, 'open');
    } catch (err) {
      throw new Error(`Cannot open the emulator ledger ${path}: ${(err as Error).message}`, { cause: err });
    }
    return new SendLedger(out);
  }

  /** Appends one line per ID; ignored once the ledger is closing (a late write callback). */
  record(connection: number, ids: readonly string[], sentAtMs: number): void {
    if (this.#closed || ids.length === 0) return;
    let text = '';
    for (const id of ids) text += `${connection}\t${id}\t${sentAtMs}\n`;
    this.#out.write(text);
  }

  /** Writes every buffered line and closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#out.end();
    await once(this.#out, 'close');
  }
}

/** One ledger line. */
export interface LedgerEntry {
  connection: number;
  id: string;
  sentAtMs: number;
}

/** Pure: the entries of a ledger file's text; a line that does not parse is an error naming its number. */
export function parseLedger(text: string): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const match = /^(\d+)\t(\d+)\t(\d+)$/.exec(line);
    if (!match) throw new Error(`Ledger line ${i + 1} is not "conn<TAB>id<TAB>sent_at_ms": ${JSON.stringify(line.slice(0, 80))}`);
    entries.push({ connection: Number(match[1]), id: match[2]!, sentAtMs: Number(match[3]) });
  }
  return entries;
}
