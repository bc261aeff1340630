/**
 * UTF-8 text gathered into a Buffer and handed on in batches. Encoding each short record into place costs less
 * than concatenating a megabyte string and encoding it whole: the string is flattened first, and big strings
 * are old-generation garbage. take() starts a fresh Buffer, so whoever receives a batch may keep it.
 */
export class TextBatch {
  readonly #capacity: number;
  #buffer: Buffer;
  #used = 0;

  /** `capacity` is the Buffer's size; a caller usually takes a batch well before it is full. */
  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#buffer = Buffer.allocUnsafe(capacity);
  }

  /** Bytes gathered so far. */
  get length(): number {
    return this.#used;
  }

  /** Appends `text` as UTF-8 (as Buffer.from would encode it) and returns its byte length. */
  append(text: string): number {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes, so write() never cuts the text short.
    this.#reserve(3 * text.length);
    const written = this.#buffer.write(text, this.#used);
    this.#used += written;
    return written;
  }

  /** Appends `source[start, end)`. */
  appendBytes(source: Buffer, start = 0, end = source.length): void {
    this.#reserve(end - start);
    this.#used += source.copy(this.#buffer, this.#used, start, end);
  }

  /** The bytes gathered since the last take(); the batch starts over in a new Buffer. */
  take(): Buffer {
    const batch = this.#buffer.subarray(0, this.#used);
    this.#buffer = Buffer.allocUnsafe(this.#capacity);
    this.#used = 0;
    return batch;
  }

  #reserve(bytes: number): void {
    if (this.#buffer.length - this.#used >= bytes) return;
    const larger = Buffer.allocUnsafe(Math.max(2 * this.#buffer.length, this.#used + bytes));
    this.#buffer.copy(larger, 0, 0, this.#used);
    this.#buffer = larger;
  }
}
