import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startFakeOsf, type FakeOsf } from '../src/emulator/index.js';
import { OsfDayFolders, WaterButler } from '../src/osf/index.js';
import { systemClock } from '../src/platform/clock.js';

const TOKEN = 'osf-token-for-downloads';

async function collect(client: WaterButler, url: string): Promise<{ status: number; body: Buffer; error: string | null }> {
  const chunks: Buffer[] = [];
  const result = await client.download(url, async (chunk) => {
    chunks.push(Buffer.from(chunk));
  });
  return { status: result.status, body: Buffer.concat(chunks), error: result.error };
}

async function fileUrl(osf: FakeOsf, path: string): Promise<string> {
  const client = new WaterButler({ baseUrl: osf.url, projectId: osf.projectId, token: TOKEN, clock: systemClock });
  const day = await new OsfDayFolders(client).dayFiles('2026-11-22');
  const entity = day?.get(path);
  assert.ok(entity?.downloadUrl, `${path} listed with a download link`);
  return entity.downloadUrl;
}

describe('fake OSF downloads and the WaterButler download client', () => {
  let osf: FakeOsf;
  let client: WaterButler;
  before(async () => {
    osf = await startFakeOsf({ token: TOKEN });
    client = new WaterButler({ baseUrl: osf.url, projectId: osf.projectId, token: TOKEN, clock: systemClock });
    await osf.storeFile('/2026/11/22/a.txt', Buffer.from('first'));
    await osf.storeFile('/2026/11/22/a.txt', Buffer.from('second'));
    await osf.storeFile('/2026/11/23/b.txt', Buffer.from('bee'));
  });
  after(() => osf.close());

  it('lists a day folder with sha256, version, size and download link', async () => {
    const files = await new OsfDayFolders(client).dayFiles('2026-11-22');
    const entity = files?.get('a.txt');
    assert.equal(entity?.version, 2);
    assert.equal(entity?.size, 6);
    assert.equal(entity?.sha256, osf.files().get('/2026/11/22/a.txt')!.at(-1)!.sha256);
    assert.match(entity?.downloadUrl ?? '', /\/providers\/osfstorage\/[0-9a-f]+$/);
    assert.equal(await new OsfDayFolders(client).dayFiles('2026-11-21'), null);
  });

  it('lists root, year and month once however many days are looked up', async () => {
    const before = osf.requestLog().length;
    const folders = new OsfDayFolders(client);
    for (const day of ['2026-11-22', '2026-11-23', '2026-11-24']) await folders.dayFiles(day);
    await folders.dayFiles('2026-11-22');
    assert.equal(osf.requestLog().length - before, 3 + 2); // root, 2026, 11; days 22 and 23 (24 does not exist)
    await folders.dayFiles('2026-11-22', true);
    assert.equal(osf.requestLog().length - before, 3 + 3);
  });

  it('answers a download with a redirect to a signed URL, which the client follows; ?direct and ?version give bytes', async () => {
    const url = await fileUrl(osf, 'a.txt');
    const redirect = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` }, redirect: 'manual' });
    assert.equal(redirect.status, 302);
    const location = redirect.headers.get('location')!;
    assert.match(location, /\/signed\/[0-9a-f]+\/2\?signature=[0-9a-f]{64}$/);
    assert.equal(await (await fetch(location)).text(), 'second');
    assert.equal((await fetch(location.replace(/signature=./, 'signature=x'))).status, 403);
    assert.deepEqual(await collect(client, url), { status: 200, body: Buffer.from('second'), error: null });
    const direct = await fetch(`${url}?direct=&version=1`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(await direct.text(), 'first');
  });

  it('corrupts the next download of a file once, or every time', async () => {
    const url = await fileUrl(osf, 'a.txt');
    osf.corruptDownloads('a.txt', 1);
    const bad = await collect(client, url);
    assert.equal(bad.body.length, 6);
    assert.notDeepEqual(bad.body, Buffer.from('second'));
    assert.deepEqual((await collect(client, url)).body, Buffer.from('second'));
    osf.corruptDownloads('a.txt', Infinity);
    for (let i = 0; i < 3; i++) assert.notDeepEqual((await collect(client, url)).body, Buffer.from('second'));
    osf.corruptDownloads('a.txt', 0);
    assert.deepEqual((await collect(client, url)).body, Buffer.from('second'));
  });

  it('answers GETs without a token for a public project, and nothing else', async () => {
    const open = await startFakeOsf({ token: TOKEN, publicRead: true });
    after(() => open.close());
    await open.storeFile('/2026/11/22/a.txt', Buffer.from('public'));
    const anonymous = new WaterButler({ baseUrl: open.url, projectId: open.projectId, token: null, clock: systemClock });
    const files = await new OsfDayFolders(anonymous).dayFiles('2026-11-22');
    assert.equal((await collect(anonymous, files!.get('a.txt')!.downloadUrl!)).body.toString(), 'public');
    assert.equal((await anonymous.uploadNew('', 'x.txt', Buffer.from('x'))).status, 401);
    const wrong = new WaterButler({ baseUrl: open.url, projectId: open.projectId, token: 'wrong', clock: systemClock });
    assert.equal((await wrong.listFolder('')).status, 401);
    // Without publicRead, a missing token is refused.
    assert.equal((await new WaterButler({ baseUrl: osf.url, projectId: osf.projectId, token: null, clock: systemClock }).listFolder('')).status, 401);
  });

  it('follows a redirect to another host without the token, and reports non-200 answers', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const storage = createServer((req, res) => {
      seen.push(req.headers);
      res.end('from storage');
    });
    storage.listen(0, '127.0.0.1');
    await once(storage, 'listening');
    after(() => storage.close());
    const storageUrl = `http://localhost:${(storage.address() as AddressInfo).port}/bucket/object`;
    const api = createServer((req, res) => {
      seen.push(req.headers);
      if (req.url?.endsWith('/missing')) res.writeHead(404).end('{}');
      else res.writeHead(302, { location: storageUrl }).end();
    });
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    after(() => api.close());
    const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const redirected = new WaterButler({ baseUrl: apiUrl, projectId: 'abc12', token: TOKEN, clock: systemClock });
    assert.deepEqual(await collect(redirected, `${apiUrl}/v1/file`), { status: 200, body: Buffer.from('from storage'), error: null });
    assert.equal(seen[0]?.authorization, `Bearer ${TOKEN}`);
    assert.equal(seen[1]?.authorization, undefined);
    assert.equal((await collect(redirected, `${apiUrl}/v1/missing`)).status, 404);
  });

  it('passes an error of the chunk callback through instead of calling it a network error', async () => {
    const url = await fileUrl(osf, 'a.txt');
    await assert.rejects(
      client.download(url, async () => {
        throw new Error('ENOSPC: disk full');
      }),
      /ENOSPC/,
    );
  });
});
