import { connect as netConnect, isIP, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';

/**
 * How long the stream's socket rests between reads. At the 1 % rate a message arrives every 16 ms, and on a VM
 * each wake-up (epoll, read, the HTTP parser, a write) costs far more than its bytes, so they are gathered
 * (issue 13). 50 ms stays well inside the 100 ms within which kill -9 must lose nothing sent.
 */
const STREAM_READ_INTERVAL_MS = 50;

/**
 * A socket that rests `intervalMs` between reads of its connection, for Node's HTTP client (`createConnection`);
 * a read that leaves bytes in the kernel is followed at once by the next, so resting never caps throughput.
 * The wrapped socket has a one-byte high-water mark: while this one rests it stops reading at the handle after
 * one read, so what comes meanwhile waits in the kernel's receive buffer, and a kill -9 loses at most that one
 * read, less than `intervalMs` old (issue 12.1). Everything read is handed on at once.
 */
export class PacedSocket extends Duplex {
  readonly #inner: Socket;
  readonly #intervalMs: number;
  #lastReadMs = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #wanted = true;
  /** The last read found the kernel still holding bytes: read again at once (see #holdBurstOpen). */
  #inBurst = false;
  #burstTurn = 0;

  constructor(inner: Socket, intervalMs: number) {
    super({ allowHalfOpen: false });
    this.#inner = inner;
    this.#intervalMs = intervalMs;
    inner.on('readable', () => this.#schedule());
    inner.on('end', () => this.push(null));
    inner.on('error', (err) => this.destroy(err));
    // A clean end finishes this socket through end() and autoDestroy; any other close is a loss of the peer.
    inner.on('close', () => {
      if (!inner.readableEnded) this.destroy();
    });
  }

  /** Bytes read from the connection so far: what the kernel handed over, not what waits there. */
  get bytesRead(): number {
    return this.#inner.bytesRead;
  }

  #schedule(): void {
    if (this.#timer !== undefined || !this.#wanted) return;
    const waitMs = this.#inBurst ? 0 : this.#lastReadMs + this.#intervalMs - performance.now();
    if (waitMs <= 0) this.#readInner();
    else this.#timer = setTimeout(() => this.#readInner(), waitMs);
  }

  #readInner(): void {
    this.#timer = undefined;
    let chunk: Buffer | null;
    let got = false;
    while (this.#wanted && (chunk = this.#inner.read() as Buffer | null) !== null) {
      got = true;
      this.#wanted = this.push(chunk);
    }
    // Only a read that found bytes starts a rest; asking before any came (at connect) must not delay the first.
    if (!got) return;
    this.#lastReadMs = performance.now();
    this.#holdBurstOpen();
  }

  /**
   * A read hands on one read's worth (64 KiB, less over TLS) and restarts the handle, which reads again in the
   * next poll phase if the kernel holds more. Until a whole loop turn passes without more, the socket reads on
   * without resting: the rest must never cap throughput below what the API sends.
   */
  #holdBurstOpen(): void {
    this.#inBurst = true;
    const turn = ++this.#burstTurn;
    // Two check phases: the first may come before the poll phase that sees the restarted read.
    setImmediate(() =>
      setImmediate(() => {
        if (turn === this.#burstTurn) this.#inBurst = false;
      }),
    );
  }

  override _read(): void {
    this.#wanted = true;
    this.#schedule();
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

/** A one-byte read buffer. net.Socket and TLSSocket hand it to stream.Duplex; @types/node leaves it out. */
const ONE_BYTE_BUFFER = { highWaterMark: 1 };

/**
 * Connects to `url`'s host for the stream, over TLS for https (verified as Node's https does: the system CAs and
 * the host name), read every `intervalMs`.
 */
export function connectPaced(url: URL, intervalMs: number = STREAM_READ_INTERVAL_MS): PacedSocket {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const secure = url.protocol === 'https:';
  const port = Number(url.port) || (secure ? 443 : 80);
  const inner = secure
    ? tlsConnect({ host, port, ...(isIP(host) === 0 ? { servername: host } : {}), ALPNProtocols: ['http/1.1'], ...ONE_BYTE_BUFFER })
    : netConnect({ host, port, ...ONE_BYTE_BUFFER });
  return new PacedSocket(inner, intervalMs);
}
