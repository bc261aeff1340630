import { connect as netConnect, isIP, type OnReadOpts, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

/**
 * How long the stream's socket rests between reads. At the 1 % rate a message arrives every 16 ms, and on a VM
 * each wake-up and system call (epoll, read, write) costs far more than a message's bytes, so they are gathered
 * (issue 13). 50 ms stays well inside the 100 ms within which kill -9 must lose nothing sent (issue 12.1).
 */
const STREAM_READ_INTERVAL_MS = 50;

/**
 * A loop turn that read at least this much may have left bytes in the kernel: the socket reads on without
 * resting (1.3 MB/s and more arrive per 50 ms rest; the 10 % stream's partitions bring about 0.6 MB/s each).
 */
const BURST_BYTES = 64 * 1024;

/** The reused buffer every read of the connection lands in: one read of the kernel's receive queue. */
const READ_BUFFER_BYTES = 64 * 1024;

/** Opens the connection to wrap, handing each of its reads to `onread` (Node's `net`/`tls` option). */
export type PacedConnect = (onread: OnReadOpts) => Socket;

/**
 * A socket that rests `intervalMs` between reads of its connection, for Node's HTTP client (`createConnection`).
 *
 * The wrapped socket reads into one reused buffer (`onread`) and is paused while this one rests, so its handle
 * stops reading and what comes meanwhile waits in the kernel's receive buffer: one rest costs one timer, one
 * read of all that gathered and, downstream, one spool write. libuv reads until the kernel is empty within a
 * loop turn; the rest starts in the check phase right after it. A turn that read a lot reads on instead, so
 * resting never caps throughput. Everything read is handed on at once: a kill -9 loses nothing that was read,
 * and what waits in the kernel is less than `intervalMs` old.
 */
export class PacedSocket extends Duplex {
  readonly #inner: Socket;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  /** The reader wants more (the last push returned true). */
  #wanted = true;
  #checkQueued = false;
  #bytesThisTurn = 0;

  constructor(connect: PacedConnect, intervalMs: number) {
    super({ allowHalfOpen: false });
    this.#intervalMs = intervalMs;
    const buffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
    this.#inner = connect({ buffer, callback: (bytes) => this.#onRead(buffer, bytes) });
    this.#inner.on('end', () => this.push(null));
    this.#inner.on('error', (err) => this.destroy(err));
    // A clean end finishes this socket through end() and autoDestroy; any other close is a loss of the peer.
    this.#inner.on('close', () => {
      if (!this.#inner.readableEnded) this.destroy();
    });
  }

  /** Bytes read from the connection so far: what the kernel handed over, not what waits there. */
  get bytesRead(): number {
    return this.#inner.bytesRead;
  }

  /** One read of the connection; false pauses it (the reader is full). */
  #onRead(buffer: Buffer, bytes: number): boolean {
    // The next read reuses the buffer: hand on a copy.
    this.#wanted = this.push(Buffer.from(buffer.subarray(0, bytes)));
    this.#bytesThisTurn += bytes;
    this.#queueCheck();
    return this.#wanted;
  }

  #queueCheck(): void {
    if (this.#checkQueued) return;
    this.#checkQueued = true;
    setImmediate(() => this.#afterTurn());
  }

  /** The check phase after a loop turn that read: rest, unless the turn read so much the kernel may hold more. */
  #afterTurn(): void {
    this.#checkQueued = false;
    const bytes = this.#bytesThisTurn;
    this.#bytesThisTurn = 0;
    if (this.destroyed) return;
    if (bytes >= BURST_BYTES) {
      this.#queueCheck();
      return;
    }
    this.#inner.pause();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#wanted) this.#inner.resume();
    }, this.#intervalMs);
  }

  override _read(): void {
    this.#wanted = true;
    if (this.#timer === undefined) this.#inner.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, done: (err?: Error | null) => void): void {
    this.#inner.write(chunk, encoding, done);
  }

  override _final(done: (err?: Error | null) => void): void {
    // After a clean end the peer may have closed already; a write failing on the way still surfaces as 'error'.
    if (!this.#inner.destroyed) this.#inner.end();
    done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    clearTimeout(this.#timer);
    this.#inner.destroy();
    done(err);
  }
}

/** TLS options of the stream: TLSSocket takes `onread` as net.Socket does (Node 15+); @types/node leaves it out. */
function tlsOptions(host: string, port: number, onread: OnReadOpts): ConnectionOptions {
  const options: ConnectionOptions & { onread: OnReadOpts } = {
    host,
    port,
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ALPNProtocols: ['http/1.1'],
    onread,
  };
  return options;
}

/**
 * Connects to `url`'s host for the stream, over TLS for https (verified as Node's https does: the system CAs and
 * the host name), read every `intervalMs`.
 */
export function connectPaced(url: URL, intervalMs: number = STREAM_READ_INTERVAL_MS): PacedSocket {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const secure = url.protocol === 'https:';
  const port = Number(url.port) || (secure ? 443 : 80);
  const connect: PacedConnect = secure
    ? (onread) => tlsConnect(tlsOptions(host, port, onread))
    : (onread) => netConnect({ host, port, onread });
  return new PacedSocket(connect, intervalMs);
}
