import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiMessageOf, classifyFailure, isOperationalDisconnect, type FailureClass, type HttpFailure } from './classify.js';
import { StreamSetupError } from './stream-errors.js';

const tooMany = JSON.stringify({
  title: 'ConnectionException',
  detail: 'This stream is currently at the maximum allowed connection limit.',
  connection_issue: 'TooManyConnections',
  type: 'https://api.x.com/2/problems/streaming-connection',
});
const usageCap = JSON.stringify({ title: 'UsageCapExceeded', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.x.com/2/problems/usage-capped' });
const unauthorized = JSON.stringify({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
const http = (status: number, body = '', headers: HttpFailure['headers'] = {}): HttpFailure => ({ status, body, headers });
const netError = (code: string) => Object.assign(new Error(code), { code });

const cases: Array<[string, HttpFailure | Error, FailureClass]> = [
  ['ECONNREFUSED', netError('ECONNREFUSED'), 'network'],
  ['ECONNRESET', netError('ECONNRESET'), 'network'],
  ['ETIMEDOUT', netError('ETIMEDOUT'), 'network'],
  ['DNS failure ENOTFOUND', netError('ENOTFOUND'), 'network'],
  ['DNS failure EAI_AGAIN', netError('EAI_AGAIN'), 'network'],
  ['an error without a code', new Error('socket hang up'), 'network'],
  ['an expired certificate', netError('CERT_HAS_EXPIRED'), 'config'],
  ['a wrong host name in the certificate', netError('ERR_TLS_CERT_ALTNAME_INVALID'), 'config'],
  ['an unverifiable certificate', netError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'config'],
  ['an unreadable token file', new StreamSetupError('Cannot connect without a bearer token'), 'config'],
  ['500', http(500), 'http-5xx'],
  ['503 with a body', http(503, '{"title":"Service Unavailable"}'), 'http-5xx'],
  ['504', http(504), 'http-5xx'],
  ['400', http(400, '{"title":"Invalid Request"}'), 'config'],
  ['401', http(401, unauthorized), 'config'],
  ['403', http(403, '{"title":"Client Forbidden","reason":"client-not-enrolled"}'), 'config'],
  ['404', http(404, 'not found'), 'config'],
  ['429 TooManyConnections', http(429, tooMany, { 'x-rate-limit-remaining': '47' }), 'too-many-connections'],
  ['429 with remaining 0 and a TooManyConnections body', http(429, tooMany, { 'x-rate-limit-remaining': '0' }), 'rate-limit'],
  ['429 with remaining 0 and no body', http(429, '', { 'x-rate-limit-remaining': '0' }), 'rate-limit'],
  ['429 with an unknown body', http(429, '<html>slow down</html>'), 'rate-limit'],
  ['429 rate-limit type', http(429, '{"type":"https://api.x.com/2/problems/rate-limit-exceeded"}'), 'rate-limit'],
  ['429 UsageCapExceeded', http(429, usageCap, { 'x-rate-limit-remaining': '0' }), 'usage-cap'],
  ['403 with a usage-capped type', http(403, '{"type":"https://api.twitter.com/2/problems/usage-capped"}'), 'usage-cap'],
];

for (const [name, failure, expected] of cases) {
  test(`classifyFailure() maps ${name} to ${expected}`, () => {
    assert.equal(classifyFailure(failure), expected);
  });
}

const opCases: Array<[string, unknown, boolean]> = [
  ['the current variant', { errors: [{ title: 'operational-disconnect', disconnect_type: 'UpstreamOperationalDisconnect', type: 'https://api.x.com/2/problems/operational-disconnect' }] }, true],
  ['the older api.twitter.com variant', { errors: [{ title: 'operational-disconnect', disconnect_type: 'OperationalDisconnect', type: 'https://api.twitter.com/2/problems/operational-disconnect' }] }, true],
  ['only a disconnect_type', { errors: [{ disconnect_type: 'ForceDisconnect' }] }, true],
  ['only the type path on another host', { errors: [{ type: 'https://example.org/2/problems/operational-disconnect' }] }, true],
  ['a partial error of a tweet', { errors: [{ title: 'Not Found Error', type: 'https://api.x.com/2/problems/resource-not-found' }] }, false],
  ['a tweet', { data: { id: '1' } }, false],
  ['null', null, false],
];

for (const [name, message, expected] of opCases) {
  test(`isOperationalDisconnect() is ${expected} for ${name}`, () => {
    assert.equal(isOperationalDisconnect(message), expected);
  });
}

test("apiMessageOf() gives the API's title and detail, or the fallback", () => {
  assert.equal(apiMessageOf(unauthorized, 'x'), 'Unauthorized: Unauthorized');
  assert.equal(apiMessageOf('{"errors":[{"message":"m","title":"Invalid Request"}]}', 'x'), 'Invalid Request');
  assert.equal(apiMessageOf('not json', 'Service Unavailable'), 'Service Unavailable');
});
