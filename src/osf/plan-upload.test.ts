import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planUpload, type UploadPlan, type UploadResponse, type UploadStep } from './plan-upload.js';

const LOCAL = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);
const LINK = 'https://files.osf.io/v1/resources/abc12/providers/osfstorage/f1?kind=file';

function response(
  status: number,
  sha256: string | null = null,
  uploadUrl: string | null = null,
  retryAfterMs: number | null = null,
  step: UploadStep = 'create',
): UploadResponse {
  return { step, status, entity: sha256 === null && uploadUrl === null ? null : { sha256, uploadUrl }, retryAfterMs };
}

const cases: Array<{ name: string; response: UploadResponse | null; expected: UploadPlan['action']; condition?: string; retryAfterMs?: number | null }> = [
  { name: 'nothing sent yet -> create', response: null, expected: 'create' },
  { name: '201 with our sha256 -> done', response: response(201, LOCAL), expected: 'done' },
  { name: '200 new version with our sha256 -> done', response: response(200, LOCAL), expected: 'done' },
  { name: '201 with another sha256 -> retry', response: response(201, OTHER), expected: 'retry' },
  { name: '200 without hashes -> retry', response: response(200), expected: 'retry' },
  { name: '409 with the existing file -> new version', response: response(409, OTHER, LINK), expected: 'new-version' },
  { name: '409 without an entity -> retry', response: response(409), expected: 'retry' },
  { name: '401 -> auth alert', response: response(401), expected: 'alert', condition: 'osf-auth' },
  { name: '403 -> auth alert', response: response(403), expected: 'alert', condition: 'osf-auth' },
  { name: '507 -> quota alert', response: response(507), expected: 'alert', condition: 'osf-quota' },
  { name: '502 -> retry', response: response(502), expected: 'retry', retryAfterMs: null },
  { name: '503 -> retry', response: response(503), expected: 'retry', retryAfterMs: null },
  { name: '429 keeps Retry-After', response: response(429, null, null, 30_000), expected: 'retry', retryAfterMs: 30_000 },
  { name: 'no answer to a create (connection reset) -> list the folder', response: response(0), expected: 'list' },
  { name: 'listing holds the file -> new version', response: response(200, OTHER, LINK, null, 'list'), expected: 'new-version' },
  { name: 'listing without the file -> retry', response: response(200, null, null, null, 'list'), expected: 'retry', retryAfterMs: null },
  { name: 'listing failed (no answer) -> retry', response: response(0, null, null, null, 'list'), expected: 'retry', retryAfterMs: null },
  { name: 'listing 404 -> retry', response: response(404, null, null, null, 'list'), expected: 'retry' },
  { name: 'no answer to a new version -> retry', response: response(0, null, null, null, 'new-version'), expected: 'retry', retryAfterMs: null },
  { name: '200 new version with another sha256 -> retry', response: response(200, OTHER, null, null, 'new-version'), expected: 'retry' },
  { name: '404 -> retry', response: response(404), expected: 'retry' },
];

describe('planUpload()', () => {
  for (const c of cases) {
    it(c.name, () => {
      const plan = planUpload(LOCAL, c.response);
      assert.equal(plan.action, c.expected);
      if (plan.action === 'alert') assert.equal(plan.condition, c.condition);
      if (plan.action === 'new-version') assert.equal(plan.uploadUrl, LINK);
      if (plan.action === 'retry' && c.retryAfterMs !== undefined) assert.equal(plan.retryAfterMs, c.retryAfterMs);
    });
  }

  it('names both hashes when OSF reports a different sha256', () => {
    const plan = planUpload(LOCAL, response(201, OTHER));
    assert.equal(plan.action, 'retry');
    assert.match(plan.action === 'retry' ? plan.reason : '', new RegExp(`local ${LOCAL}, OSF ${OTHER}`));
  });
});
