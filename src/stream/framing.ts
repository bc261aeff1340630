/** Byte framing of the stream body, DESIGN 4: messages end with `\r\n`; an empty frame is a keep-alive. */

const CR = 0x0d;
const LF = 0x0a;
const EMPTY = Buffer.alloc(0);

/** Result of splitFrames(). */
export interface FrameSplit {
  /** Complete frames without their `\r\n`, in order; empty ones are keep-alives. */
  frames: Buffer[];
  /** Bytes after the last `\r\n`: pass them back as `pending` with the next chunk. */
  rest: Buffer;
}

/**
 * Splits the complete `\r\n`-terminated frames out of `pending + chunk`, on bytes: text is decoded later,
 * per complete frame, so a character split across two chunks stays intact. A bare `\n` is data, not a
 * terminator.
 */
export function splitFrames(pending: Buffer, chunk: Buffer): FrameSplit {
  const frames: Buffer[] = [];
  let head = pending;
  let start = 0;
  // `pending` was a previous `rest`, so it holds no `\r\n`: only its last byte can pair with chunk[0].
  // Scanning starts in `chunk`, which keeps the cost linear however long a line grows.
  if (head.length > 0 && head[head.length - 1] === CR && chunk[0] === LF) {
    frames.push(head.subarray(0, head.length - 1));
    head = EMPTY;
    start = 1;
  }
  let from = start;
  for (;;) {
    const lf = chunk.indexOf(LF, from);
    if (lf === -1) break;
    from = lf + 1;
    if (lf === start || chunk[lf - 1] !== CR) continue;
    const tail = chunk.subarray(start, lf - 1);
    frames.push(head.length > 0 ? Buffer.concat([head, tail]) : tail);
    head = EMPTY;
    start = lf + 1;
  }
  const tail = chunk.subarray(start);
  return { frames, rest: head.length > 0 ? Buffer.concat([head, tail]) : tail };
}
