import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFakeOsf, type FakeOsf } from '../src/emulator/osf-server.js';
import { systemClock } from '../src/platform/clock.js';
import { WaterButler } from '../src/osf/waterbutler.js';

describe('WaterButler client', () => {
  let osf: FakeOsf;
  let slow: FakeOsf;
  before(async () => {
    osf = await startFakeOsf({ token: 'tok-123456' });
    slow = await startFakeOsf({ delayMs: 500 });
  });
  after(async () => {
    await osf.close();
    await slow.close();
  });

  it('sends a new version to our own host when the upload link names another host', async () => {
    const client = new WaterButler({ baseUrl: osf.url, projectId: osf.projectId, token: 'tok-123456', clock: systemClock });
    const created = await client.uploadNew('', 'f.txt', Buffer.from('one'));
    assert.equal(created.status, 201);
    const id = (created.body as { data: { attributes: { path: string } } }).data.attributes.path;
    const foreign = `https://elsewhere.example/v1/resources/${osf.projectId}/providers/osfstorage${id}?kind=file`;
    const versioned = await client.uploadVersion(foreign, Buffer.from('two'));
    assert.equal(versioned.status, 200);
    assert.deepEqual(osf.files().get('/f.txt')?.map((v) => v.bytes.toString()), ['one', 'two']);
  });

  it('gives up on a slow answer after responseTimeoutMs with status 0', async () => {
    const client = new WaterButler({ baseUrl: slow.url, projectId: slow.projectId, token: 't', clock: systemClock, responseTimeoutMs: 100 });
    const result = await client.listFolder('');
    assert.equal(result.status, 0);
    assert.match(result.error ?? '', /no response within 100 ms/);
  });

  it('reports a refused connection as status 0', async () => {
    const closed = await startFakeOsf();
    await closed.close();
    const client = new WaterButler({ baseUrl: closed.url, projectId: 'abc12', token: 't', clock: systemClock });
    const result = await client.listFolder('');
    assert.equal(result.status, 0);
    assert.match(result.error ?? '', /ECONNREFUSED/);
  });
});
