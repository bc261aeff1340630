import assert from 'node:assert/strict';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { ApiRequestError, ApiResponseError, type TwitterApiErrorData, type TwitterRateLimit } from 'twitter-api-v2';
import { toXApiError } from './x-api-error.js';

function responseError(code: number, data: TwitterApiErrorData, rateLimit?: TwitterRateLimit): ApiResponseError {
  return new ApiResponseError(`Request failed with code ${code}`, {
    code,
    data,
    rateLimit,
    headers: {},
    request: {} as ClientRequest,
    response: {} as IncomingMessage,
  });
}

describe('toXApiError()', () => {
  it('says what the API said for a 401 and what to do', () => {
    const err = toXApiError(responseError(401, { title: 'Unauthorized', type: 'about:blank', detail: 'Unauthorized' }), 'GET /2/tweets');
    assert.equal(err.kind, 'unauthorized');
    assert.equal(err.status, 401);
    assert.equal(err.message, 'GET /2/tweets: the API answered 401, Unauthorized: Unauthorized');
    assert.match(err.hint ?? '', /bearer token was refused/);
  });

  it('tells a client-not-enrolled 403 to attach the app to a Project', () => {
    const data = {
      title: 'Client Forbidden',
      detail: 'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project.',
      reason: 'client-not-enrolled',
      type: 'https://api.twitter.com/2/problems/client-forbidden',
    } as TwitterApiErrorData;
    const err = toXApiError(responseError(403, data), 'GET /2/tweets');
    assert.equal(err.kind, 'forbidden');
    assert.match(err.message, /403, Client Forbidden: When authenticating .* \(https:\/\/api.twitter.com\/2\/problems\/client-forbidden\)/);
    assert.match(err.hint ?? '', /attached to a Project/);
  });

  it('gives a 429 its rate-limit window in epoch ms and names the reset', () => {
    const err = toXApiError(
      responseError(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank' }, { limit: 300, remaining: 0, reset: 1_795_000_000 }),
      'GET /2/tweets',
    );
    assert.equal(err.kind, 'rate-limit');
    assert.deepEqual(err.rateLimit, { limit: 300, remaining: 0, resetMs: 1_795_000_000_000 });
    assert.match(err.message, /resets at 2026-11-18T\d\d:\d\d:\d\d.000Z$/);
  });

  it('names the first parameter error of a 400 and maps 5xx and network errors', () => {
    const bad = toXApiError(
      responseError(400, { title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'x', errors: [{ message: 'The `ids` query parameter can not be empty', title: '', detail: '', type: '', errors: [] }] } as TwitterApiErrorData),
      'GET /2/tweets',
    );
    assert.equal(bad.kind, 'invalid-request');
    assert.match(bad.message, /was invalid\.; The `ids` query parameter can not be empty/);
    assert.equal(toXApiError(responseError(503, {}), 'x').kind, 'server');
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const network = toXApiError(new ApiRequestError('Request failed.', { request: {} as ClientRequest, error: refused }), 'GET /2/tweets');
    assert.equal(network.kind, 'network');
    assert.equal(network.message, 'GET /2/tweets: ECONNREFUSED');
  });
});
