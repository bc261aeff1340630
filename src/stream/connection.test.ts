import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseSettings } from '../config/index.js';
import { makeTestCertificate } from '../../test/helpers/smtp.js';
import { tempDir } from '../../test/helpers/tmp.js';
import { USER_AGENT, openStream, streamUrl } from './connection.js';
import { StreamHttpError, StreamSetupError } from './stream-errors.js';

function xApi(overrides: Record<string, unknown>) {
  return parseSettings(
    {
      server: 'server1',
      paths: { spool: '/s', state: '/t', staging: '/g', vault: '/v' },
      x_api: { bearer_token_file: '/k', ...overrides },
    },
    'test',
  ).x_api;
}

const urls: Array<[string, Record<string, unknown>, number | null, string]> = [
  [
    'the defaults',
    {},
    null,
    'https://api.x.com/2/tweets/sample/stream?tweet.fields=author_id%2Cconversation_id%2Ccreated_at%2Clang%2Csource%2Creferenced_tweets%2Ctext' +
      '&user.fields=created_at%2Clocation%2Cname%2Cprotected%2Cpublic_metrics%2Cusername%2Cverified&expansions=author_id',
  ],
  [
    'sample10 with a partition, backfill and media fields',
    { base_url: 'http://127.0.0.1:9/', stream: 'sample10', tweet_fields: ['id'], user_fields: [], expansions: [], media_fields: ['url', 'type'], backfill_minutes: 2 },
    2,
    'http://127.0.0.1:9/2/tweets/sample10/stream?tweet.fields=id&media.fields=url%2Ctype&backfill_minutes=2&partition=2',
  ],
  ['no lists at all', { tweet_fields: [], user_fields: [], expansions: [] }, null, 'https://api.x.com/2/tweets/sample/stream'],
];

for (const [name, overrides, partition, expected] of urls) {
  test(`streamUrl() builds the URL for ${name}`, () => {
    const url = streamUrl(xApi(overrides), partition);
    assert.equal(url.href, expected);
  });
}

/** A token file as the daemon wants it (0600), in a fresh folder. */
async function tokenFileWith(token: string): Promise<string> {
  const tokenFile = join(await tempDir(), 'token');
  await writeFile(tokenFile, token, { mode: 0o600 });
  return tokenFile;
}

async function fakeApi(answer: (headers: IncomingHttpHeaders) => [number, string]) {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    const [status, body] = answer(req.headers);
    res.writeHead(status, { 'content-type': 'application/json', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': '1795330547' });
    if (status === 200) res.write('{"data":{"id":"1"}}\r\n');
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/2/tweets/sample/stream`);
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test('openStream() sends the token read from its file on every connect, and our User-Agent', async () => {
  const tokenFile = await tokenFileWith('first-token\n');
  const api = await fakeApi(() => [200, '']);
  try {
    const signal = new AbortController().signal;
    const first = await openStream({ url: api.url, tokenFile }, signal);
    first.destroy();
    await writeFile(tokenFile, 'rotated-token\n', { mode: 0o600 });
    const second = await openStream({ url: api.url, tokenFile }, signal);
    second.destroy();
    assert.deepEqual(api.seen.map((h) => h.authorization), ['Bearer first-token', 'Bearer rotated-token']);
    assert.equal(api.seen[0]?.['user-agent'], USER_AGENT);
    assert.match(USER_AGENT, /^sampled-stream\/\d+\.\d+\.\d+/);
    assert.equal(api.seen[0]?.['accept-encoding'], undefined);
  } finally {
    await api.close();
  }
});

test("openStream() rejects a refusal with the status, headers and the API's message", async () => {
  const tokenFile = await tokenFileWith('secret-token-value');
  const api = await fakeApi(() => [401, '{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}']);
  try {
    const err = await openStream({ url: api.url, tokenFile }, new AbortController().signal).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof StreamHttpError);
    assert.equal(err.status, 401);
    assert.equal(err.apiMessage, 'Unauthorized: Unauthorized');
    assert.equal(err.headers['x-rate-limit-remaining'], '0');
    assert.equal(err.message.includes('secret-token-value'), false);
  } finally {
    await api.close();
  }
});

test('openStream() refuses a token file others can read, before connecting', async () => {
  const dir = await tempDir();
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, 'secret-token-value');
  await chmod(tokenFile, 0o644);
  const api = await fakeApi(() => [200, '']);
  try {
    await assert.rejects(openStream({ url: api.url, tokenFile }, new AbortController().signal), (err: unknown) => {
      assert.ok(err instanceof StreamSetupError);
      assert.match(err.message, /chmod 600/);
      return true;
    });
    assert.equal(api.seen.length, 0);
  } finally {
    await api.close();
  }
});

const HTTPS_BODY = '{"data":{"id":"7"}}\r\n';

/** HTTPS stream endpoints on 127.0.0.1 and 127.0.0.2 with a certificate for 127.0.0.1 and localhost that no system CA signed. */
async function httpsApi() {
  const cert = await makeTestCertificate(await tempDir(), 'api');
  const listen = async (host: string) => {
    const server = createHttpsServer({ key: cert.keyPem, cert: cert.certPem }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(HTTPS_BODY);
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return server;
  };
  const servers = [await listen('127.0.0.1'), await listen('127.0.0.2')];
  const [port, otherAddressPort] = servers.map((server) => (server.address() as AddressInfo).port);
  const close = () => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return { cert, port: port!, otherAddressPort: otherAddressPort!, close };
}

test('openStream() over https refuses a certificate no trusted CA signed', async () => {
  const tokenFile = await tokenFileWith('token\n');
  const api = await httpsApi();
  try {
    const url = new URL(`https://localhost:${api.port}/2/tweets/sample/stream`);
    await assert.rejects(openStream({ url, tokenFile }, new AbortController().signal), (err: NodeJS.ErrnoException) => {
      assert.match(err.code ?? '', /SELF_SIGNED|UNABLE_TO_VERIFY/);
      return true;
    });
  } finally {
    await api.close();
  }
});

test('openStream() over https reads the body once the CA is trusted, and checks the host name', async () => {
  const tokenFile = await tokenFileWith('token\n');
  const api = await httpsApi();
  // Trusting a CA takes NODE_EXTRA_CA_CERTS at start-up, so a child process opens the stream.
  const connection = fileURLToPath(new URL('./connection.ts', import.meta.url));
  const script = `
    import { openStream } from ${JSON.stringify(connection)};
    const [url, tokenFile] = process.argv.slice(1);
    try {
      const response = await openStream({ url: new URL(url), tokenFile }, new AbortController().signal);
      let body = '';
      for await (const chunk of response) body += chunk;
      process.stdout.write(body);
    } catch (err) {
      process.stdout.write('refused ' + err.code);
    }`;
  const open = async (host: string, port = api.port) => {
    const url = `https://${host}:${port}/2/tweets/sample/stream`;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script, url, tokenFile],
      { env: { ...process.env, NODE_EXTRA_CA_CERTS: api.cert.certFile } },
    );
    return stdout;
  };
  try {
    assert.equal(await open('localhost'), HTTPS_BODY);
    assert.equal(await open('127.0.0.1'), HTTPS_BODY);
    // The certificate names 127.0.0.1 and localhost only: the same server at another address is refused.
    assert.equal(await open('127.0.0.2', api.otherAddressPort), 'refused ERR_TLS_CERT_ALTNAME_INVALID');
  } finally {
    await api.close();
  }
});
