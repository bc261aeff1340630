import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFakeOsf, type FakeOsf } from '../src/emulator/osf-server.js';
import { tempDir } from './helpers/tmp.js';

const TOKEN = 'fake-osf-token-0123456789';

interface Answer {
  status: number;
  json: { data?: unknown; message?: string; code?: number } & Record<string, unknown>;
  headers: Headers;
}

async function call(osf: FakeOsf, method: string, path: string, body?: Buffer | string, token = TOKEN): Promise<Answer> {
  const response = await fetch(`${osf.url}/v1/resources/${osf.projectId}/providers/osfstorage${path}`, {
    method,
    headers: token === '' ? {} : { authorization: `Bearer ${token}` },
    body: method === 'PUT' ? (body ?? '') : undefined,
  });
  const text = await response.text();
  let json: Answer['json'] = {};
  try {
    json = JSON.parse(text) as Answer['json'];
  } catch {
    json = { raw: text };
  }
  return { status: response.status, json, headers: response.headers };
}

type Entity = { id: string; attributes: { kind: string; name: string; path: string; materialized: string; extra: { version?: number; hashes?: { sha256: string; md5: string } } }; links: Record<string, string> };

function entity(answer: Answer): Entity {
  return answer.json.data as Entity;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('startFakeOsf()', () => {
  let osf: FakeOsf;
  before(async () => {
    osf = await startFakeOsf({ token: TOKEN, quotaBytes: 1000 });
  });
  after(() => osf.close());

  it('creates a folder with 201 and answers 409 with empty data when the name exists', async () => {
    const created = await call(osf, 'PUT', '/?kind=folder&name=2026');
    assert.equal(created.status, 201);
    const folder = entity(created);
    assert.equal(folder.attributes.kind, 'folder');
    assert.equal(folder.attributes.materialized, '/2026/');
    assert.match(folder.attributes.path, /^\/[0-9a-f]{24}\/$/);
    assert.equal(folder.links.new_folder, `${osf.url}/v1/resources/abc12/providers/osfstorage${folder.attributes.path}?kind=folder`);
    assert.ok(created.headers.get('x-waterbutler-request-id'));
    const again = await call(osf, 'PUT', '/?kind=folder&name=2026');
    assert.equal(again.status, 409);
    assert.deepEqual(again.json.data, {});
    assert.match(String(again.json.message), /"2026" already exists in this location/);
  });

  it('refuses a folder creation with a body (413) and without a name (400)', async () => {
    assert.equal((await call(osf, 'PUT', '/?kind=folder&name=x', 'body')).status, 413);
    assert.equal((await call(osf, 'PUT', '/?kind=folder')).status, 400);
  });

  it('uploads a file with 201, answers 409 with the existing entity, and versions it with 200', async () => {
    const folder = entity(await call(osf, 'PUT', '/?kind=folder&name=files'));
    const first = await call(osf, 'PUT', `${folder.attributes.path}?kind=file&name=a.txt`, 'one');
    assert.equal(first.status, 201);
    const file = entity(first);
    assert.equal(file.attributes.materialized, '/files/a.txt');
    assert.equal(file.attributes.extra.version, 1);
    assert.equal(file.attributes.extra.hashes?.sha256, sha256('one'));
    const clash = await call(osf, 'PUT', `${folder.attributes.path}?kind=file&name=a.txt`, 'two');
    assert.equal(clash.status, 409);
    assert.equal(entity(clash).links.upload, file.links.upload);
    const second = await call(osf, 'PUT', `${file.attributes.path}?kind=file`, 'two');
    assert.equal(second.status, 200);
    assert.equal(entity(second).attributes.extra.version, 2);
    const same = await call(osf, 'PUT', `${file.attributes.path}?kind=file`, 'two');
    assert.equal(same.status, 200);
    assert.equal(entity(same).attributes.extra.version, 2, 'identical bytes make no new version');
    assert.deepEqual(osf.files().get('/files/a.txt')?.map((v) => v.bytes.toString()), ['one', 'two']);

    const versions = await call(osf, 'GET', `${file.attributes.path}?versions=`);
    assert.deepEqual((versions.json.data as Array<{ id: string }>).map((v) => v.id), ['2', '1']);
    const meta = await call(osf, 'GET', `${file.attributes.path}?meta=`);
    assert.equal(entity(meta).attributes.extra.hashes?.sha256, sha256('two'));
    const download = await fetch(`${osf.url}/v1/resources/abc12/providers/osfstorage${file.attributes.path}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(await download.text(), 'two');
    assert.equal((await call(osf, 'PUT', `${file.attributes.path}?kind=file&name=a.txt`, 'x')).status, 400);

    const listing = await call(osf, 'GET', folder.attributes.path);
    assert.deepEqual((listing.json.data as Entity[]).map((e) => e.attributes.name), ['a.txt']);
  });

  it('treats trailing slashes as significant (404 on mismatch)', async () => {
    const folder = entity(await call(osf, 'PUT', '/?kind=folder&name=slashes'));
    const file = entity(await call(osf, 'PUT', `${folder.attributes.path}?kind=file&name=f`, 'f'));
    assert.equal((await call(osf, 'GET', folder.attributes.path.replace(/\/$/, ''))).status, 404);
    assert.equal((await call(osf, 'GET', `${file.attributes.path}/`)).status, 404);
    assert.equal((await call(osf, 'GET', '/0123456789abcdef01234567/')).status, 404);
  });

  it('answers 411 to an upload without Content-Length', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${osf.url}/v1/resources/abc12/providers/osfstorage/?kind=file&name=chunked.txt`,
        { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('chunked body');
    });
    assert.equal(status, 411);
    assert.equal(osf.files().has('/chunked.txt'), false);
  });

  it('answers 401 with an OSF error body for a missing or wrong token', async () => {
    const missing = await call(osf, 'GET', '/', undefined, '');
    assert.equal(missing.status, 401);
    assert.ok(Array.isArray(missing.json.errors));
    assert.equal((await call(osf, 'GET', '/', undefined, 'wrong-token')).status, 401);
  });

  it('answers 507 once the quota is exceeded and stores nothing', async () => {
    const answer = await call(osf, 'PUT', '/?kind=file&name=big.bin', Buffer.alloc(2000));
    assert.equal(answer.status, 507);
    assert.equal(osf.files().has('/big.bin'), false);
  });

  it('injects failures with failNext() and a wrong hash with corruptNextHash()', async () => {
    osf.failNext(503, 2);
    osf.failNext(429);
    assert.equal((await call(osf, 'GET', '/')).status, 503);
    assert.equal((await call(osf, 'GET', '/')).status, 503);
    const limited = await call(osf, 'GET', '/');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal((await call(osf, 'GET', '/')).status, 200);
    osf.corruptNextHash();
    const corrupted = await call(osf, 'PUT', '/?kind=file&name=c.txt', 'c');
    assert.equal(corrupted.status, 201);
    assert.notEqual(entity(corrupted).attributes.extra.hashes?.sha256, sha256('c'));
    assert.equal(osf.files().get('/c.txt')?.[0]?.sha256, sha256('c'));
  });

  it('logs every request with its status', () => {
    const log = osf.requestLog();
    assert.ok(log.length > 10);
    assert.deepEqual(log[0], { method: 'PUT', path: '/v1/resources/abc12/providers/osfstorage/?kind=folder&name=2026', status: 201 });
  });
});

describe('startFakeOsf() options', () => {
  it('mirrors the latest version of each file into storageDir', async () => {
    const storageDir = await tempDir();
    const osf = await startFakeOsf({ storageDir });
    try {
      const folder = entity(await call(osf, 'PUT', '/?kind=folder&name=2026'));
      const file = entity(await call(osf, 'PUT', `${folder.attributes.path}?kind=file&name=x.txt`, 'v1'));
      await call(osf, 'PUT', `${file.attributes.path}?kind=file`, 'v2');
      assert.equal(await readFile(join(storageDir, '2026', 'x.txt'), 'utf8'), 'v2');
    } finally {
      await osf.close();
    }
  });

  it('accepts any token by default and delays responses by delayMs', async () => {
    const osf = await startFakeOsf({ delayMs: 150, projectId: 'xyz98' });
    try {
      const started = Date.now();
      const answer = await call(osf, 'GET', '/', undefined, 'any-token');
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.json.data, []);
      assert.ok(Date.now() - started >= 140);
    } finally {
      await osf.close();
    }
  });
});
