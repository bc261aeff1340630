import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl in `dir`. */
export interface TestCertificate {
  keyPem: string;
  certPem: string;
  /** The certificate file: what `email.ca_file` points at so verification stays on. */
  certFile: string;
}

/** Generates a P-256 self-signed certificate valid for 127.0.0.1 and localhost (openssl req -x509). */
export async function makeTestCertificate(dir: string, name = 'smtp'): Promise<TestCertificate> {
  const keyFile = join(dir, `${name}-key.pem`);
  const certFile = join(dir, `${name}-cert.pem`);
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${name} test`,
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ]);
  return { keyPem: await readFile(keyFile, 'utf8'), certPem: await readFile(certFile, 'utf8'), certFile };
}

/** A message the test SMTP server accepted. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  /** The session was encrypted (STARTTLS or implicit TLS). */
  secure: boolean;
  /** The authenticated user, null without AUTH. */
  user: string | null;
}

/** A running test SMTP server and what it received. */
export interface TestSmtpServer {
  port: number;
  messages: ReceivedMail[];
  /** AUTH attempts, with the password the client sent. */
  logins: Array<{ user: string; pass: string }>;
  close(): Promise<void>;
}

/** Options of startSmtpServer(). */
export interface TestSmtpOptions {
  cert: TestCertificate;
  /** Implicit TLS (smtps) instead of STARTTLS. @default false */
  implicitTls?: boolean;
  /** Require AUTH with these credentials. @default no AUTH */
  auth?: { user: string; pass: string };
}

/** A real SMTP server on loopback (smtp-server) offering STARTTLS (or implicit TLS), collecting messages. */
export async function startSmtpServer(options: TestSmtpOptions): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const logins: TestSmtpServer['logins'] = [];
  const { auth } = options;
  const server = new SMTPServer({
    secure: options.implicitTls ?? false,
    key: options.cert.keyPem,
    cert: options.cert.certPem,
    logger: false,
    closeTimeout: 200,
    authOptional: auth === undefined,
    disabledCommands: auth === undefined ? ['AUTH'] : [],
    onAuth(login, _session, callback) {
      logins.push({ user: login.username ?? '', pass: login.password ?? '' });
      if (login.username === auth?.user && login.password === auth?.pass) callback(null, { user: login.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : null,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    logins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A TCP server that accepts connections and never says a word (a hung SMTP server). */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nobody listens on (connections are refused). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One leaf part of a MIME message, body decoded. */
export interface MimePart {
  contentType: string;
  body: string;
}

function splitHeaders(entity: string): { headers: Map<string, string>; body: string } {
  const end = entity.indexOf('\r\n\r\n');
  const head = end === -1 ? entity : entity.slice(0, end);
  const body = end === -1 ? '' : entity.slice(end + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function decodeQuotedPrintable(body: string): string {
  const text = body.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(text.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return encoding === 'quoted-printable' ? decodeQuotedPrintable(body) : body;
}

/** The leaf parts of a raw MIME message (enough of RFC 2045/2046 to check what the mailer built). */
export function mimeParts(raw: string): MimePart[] {
  const { headers, body } = splitHeaders(raw);
  const contentType = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (contentType.toLowerCase().startsWith('multipart/') && boundary !== undefined) {
    return body
      .split(`--${boundary}`)
      .slice(1, -1)
      .flatMap((part) => mimeParts(part.replace(/^\r\n/, '').replace(/\r\n$/, '')));
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  return [{ contentType: contentType.split(';')[0]!.trim().toLowerCase(), body: decodeBody(body, encoding) }];
}

/** A header of a raw MIME message (first occurrence, unfolded), undefined when absent. */
export function mimeHeader(raw: string, name: string): string | undefined {
  return splitHeaders(raw).headers.get(name.toLowerCase());
}
