import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type OnReadOpts, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as tlsConnect, createServer as createTlsServer, type ConnectionOptions } from 'node:tls';
import { makeTestCertificate } from '../../test/helpers/smtp.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { connectPaced, PacedSocket, type PacedConnect } from './paced-socket.js';

/** A TCP server that runs `serve` on its one connection; its URL as the stream would be given it. */
async function tcpPeer(serve: (socket: Socket) => Promise<void> | void): Promise<{ url: URL; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
    void serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  const close = () => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, close };
}

/** Everything the socket hands on, chunk by chunk, and how it ended. */
function collect(socket: PacedSocket): Promise<{ chunks: Buffer[]; ended: boolean; error: Error | undefined }> {
  const chunks: Buffer[] = [];
  let ended = false;
  let error: Error | undefined;
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('end', () => (ended = true));
  socket.on('error', (err) => (error = err));
  return new Promise((resolve) => socket.on('close', () => resolve({ chunks, ended, error })));
}

const piece = (i: number) => Buffer.from(`{"data":{"id":"${i}"}}\r\n`);
/** A message of a typical sampled-stream size (2.5 KB). */
const message = (i: number) => Buffer.from(`{"data":{"id":"${i}","text":"${'x'.repeat(2450)}"}}\r\n`);

test('PacedSocket hands on every byte in order, a rest of bytes at a time, then the end', async () => {
  const pieces = 40;
  const peer = await tcpPeer(async (socket) => {
    for (let i = 0; i < pieces; i++) {
      socket.write(piece(i));
      await sleep(5);
    }
    socket.end();
  });
  try {
    const result = await collect(connectPaced(peer.url, 1_000));
    const expected = Buffer.concat(Array.from({ length: pieces }, (_, i) => piece(i)));
    assert.deepEqual(Buffer.concat(result.chunks), expected);
    assert.equal(result.ended, true);
    assert.equal(result.error, undefined);
    // 40 writes over some 200 ms (longer on a busy machine) reach it resting 1 s between reads: the first
    // write, then a read or two per rest, never a chunk per write.
    assert.ok(result.chunks.length <= pieces / 4, `${result.chunks.length} chunks`);
  } finally {
    await peer.close();
  }
});

test('PacedSocket rests only once the kernel is empty: a backlog arrives whole without waiting out a rest', async () => {
  const total = 16 * 1024 * 1024;
  const peer = await tcpPeer((socket) => {
    socket.end(Buffer.alloc(total, 2));
  });
  try {
    const socket = connectPaced(peer.url, 60_000);
    let timer: NodeJS.Timeout | undefined;
    const rested = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the backlog waited for a rest: reading is capped')), 30_000);
    });
    // 16 MiB is 256 reads of 64 KiB: a rest after each would take hours.
    const result = await Promise.race([collect(socket), rested]).finally(() => clearTimeout(timer));
    assert.equal(Buffer.concat(result.chunks).length, total);
    assert.equal(result.ended, true);
  } finally {
    await peer.close();
  }
});

/** A TLS server that runs `serve` on its connections, and a PacedSocket's connect to it trusting its certificate. */
async function tlsPeer(serve: (socket: Socket) => void): Promise<{ connect: PacedConnect; close(): void }> {
  const cert = await makeTestCertificate(await tempDir(), 'paced');
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: cert.keyPem, cert: cert.certPem }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    serve(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // @types/node leaves `onread` out of the TLS options; TLSSocket takes it as net.Socket does.
  const connect = (onread: OnReadOpts) => tlsConnect({ host: '127.0.0.1', port, ca: cert.certPem, onread } as ConnectionOptions);
  const close = () => {
    for (const socket of sockets) socket.destroy();
    server.close();
  };
  return { connect, close };
}

test('PacedSocket over TLS reads a backlog of small records without waiting out a rest', async () => {
  const records = 4000;
  const peer = await tlsPeer((socket) => {
    // One TLS record per message of a few kilobytes, written as fast as the client takes them, as an API
    // server writes a backlog.
    let next = 0;
    const pump = () => {
      while (next < records) {
        if (!socket.write(message(next++))) return;
      }
      socket.end();
    };
    socket.on('drain', pump);
    pump();
  });
  try {
    const socket = new PacedSocket(peer.connect, 60_000);
    let timer: NodeJS.Timeout | undefined;
    const rested = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('the backlog waited for a rest: reading is capped')), 30_000);
    });
    const result = await Promise.race([collect(socket), rested]).finally(() => clearTimeout(timer));
    const expected = Buffer.concat(Array.from({ length: records }, (_, i) => message(i)));
    assert.ok(Buffer.concat(result.chunks).equals(expected), 'every record, in order');
  } finally {
    peer.close();
  }
});

test('PacedSocket over TLS stops reading while it rests: what comes meanwhile waits in the kernel', async () => {
  const later = 4 * 1024 * 1024;
  let peerSocket!: Socket;
  const peer = await tlsPeer((socket) => {
    peerSocket = socket;
    socket.write(piece(1));
  });
  try {
    const socket = new PacedSocket(peer.connect, 3_000);
    const firstRead = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    const result = collect(socket);
    await firstRead;
    await sleep(50);
    peerSocket.end(Buffer.alloc(later, 1));
    await sleep(200);
    // A read or two, not the 4 MiB the peer sent while it rested: pausing a TLS socket stops its TCP handle.
    assert.ok(socket.bytesRead <= 256 * 1024, `${socket.bytesRead} bytes read while resting`);
    assert.equal(Buffer.concat((await result).chunks).length, piece(1).length + later);
  } finally {
    peer.close();
  }
});

test('PacedSocket keeps every byte while its reader holds back (backpressure), then ends', async () => {
  const block = Buffer.alloc(64 * 1024);
  const blocks = 32;
  const peer = await tcpPeer((socket) => {
    for (let i = 0; i < blocks; i++) socket.write(block.fill(i % 256));
    socket.end();
  });
  try {
    const socket = connectPaced(peer.url, 10);
    let bytes = 0;
    let checksum = 0;
    const ended = new Promise<void>((resolve) => socket.on('end', resolve));
    socket.on('readable', () => {
      let chunk: Buffer | null;
      while ((chunk = socket.read(1000) as Buffer | null) !== null) {
        for (const byte of chunk) checksum += byte;
        bytes += chunk.length;
      }
    });
    await ended;
    assert.equal(bytes, block.length * blocks);
    let expected = 0;
    for (let i = 0; i < blocks; i++) expected += (i % 256) * block.length;
    assert.equal(checksum, expected);
  } finally {
    await peer.close();
  }
});

test('PacedSocket stops reading while it rests: bytes that come meanwhile wait in the kernel, not in the process', async () => {
  const later = 4 * 1024 * 1024;
  let sendLater!: () => void;
  const peer = await tcpPeer((socket) => {
    socket.write(piece(1));
    sendLater = () => socket.end(Buffer.alloc(later, 1));
  });
  try {
    const socket = connectPaced(peer.url, 3_000);
    const firstRead = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    const result = collect(socket);
    await firstRead;
    await sleep(50);
    sendLater();
    await sleep(200);
    // A read or two of 64 KiB, not the 4 MiB the peer sent while it rested: pausing stops the handle.
    assert.ok(socket.bytesRead <= piece(1).length + 256 * 1024, `${socket.bytesRead} bytes read while resting`);
    assert.equal(Buffer.concat((await result).chunks).length, piece(1).length + later);
  } finally {
    await peer.close();
  }
});

test('PacedSocket closes without an end when the peer resets the connection', async () => {
  const peer = await tcpPeer(async (socket) => {
    socket.write(piece(1));
    await sleep(30);
    socket.resetAndDestroy();
  });
  try {
    const result = await collect(connectPaced(peer.url, 10));
    assert.equal(result.ended, false);
  } finally {
    await peer.close();
  }
});

test('PacedSocket destroyed while resting closes its connection', async () => {
  let peerClosed!: () => void;
  const closed = new Promise<void>((resolve) => (peerClosed = resolve));
  const peer = await tcpPeer((socket) => {
    socket.on('close', peerClosed);
    socket.write(piece(1));
  });
  try {
    const socket = connectPaced(peer.url, 10_000);
    socket.on('data', () => socket.destroy());
    await closed;
    assert.equal(socket.destroyed, true);
  } finally {
    await peer.close();
  }
});
