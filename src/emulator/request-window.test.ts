import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestWindow } from './request-window.js';

describe('RequestWindow', () => {
  it('take() allows 50 requests per token in 15 minutes, then reports the reset time', () => {
    const window = new RequestWindow();
    const startMs = 1_800_000_000_000;
    const states = Array.from({ length: 51 }, (_, i) => window.take('a', startMs + i * 1000));
    assert.deepEqual(states[0], { allowed: true, limit: 50, remaining: 49, resetMs: startMs + 900_000 });
    assert.equal(states[49]!.remaining, 0);
    assert.deepEqual(states[50], { allowed: false, limit: 50, remaining: 0, resetMs: startMs + 900_000 });
    assert.equal(window.take('b', startMs + 60_000).remaining, 49, 'tokens count apart');
    const nextWindow = { allowed: true, limit: 50, remaining: 49, resetMs: startMs + 1_800_000 };
    assert.deepEqual(window.take('a', startMs + 900_000), nextWindow);
  });
});
