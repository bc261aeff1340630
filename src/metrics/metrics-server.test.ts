import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMetricsServer } from './metrics-server.js';
import { streamMetricsRegistry } from './stream-metrics.js';
import type { StreamState } from '../stream/index.js';
import { silentLogger } from '../platform/logger.js';

const state: StreamState = {
  format_version: 1,
  server: 'server1',
  first_started_at: '2026-11-22T06:00:00.000Z',
  started_at: '2026-11-22T06:00:00.000Z',
  updated_at: '2026-11-22T06:10:00.000Z',
  connected: true,
  last_message_at: '2026-11-22T06:09:58.000Z',
  watermark: '2026-11-22T06:09:00.000Z',
  counters: { messages: 120, tweets: 118, errors: 2, malformed: 1, non_tweet: 2, reconnects: { stall: 3, network: 1 } },
  gaps: [],
  segments: {},
  auth: { state: 'ok' },
};

test('startMetricsServer() serves the stream counters in Prometheus format', async () => {
  const now = Date.parse('2026-11-22T06:10:00.000Z');
  const server = await startMetricsServer('127.0.0.1:0', streamMetricsRegistry(() => state, () => now), silentLogger());
  try {
    const body = await (await fetch(server.url)).text();
    assert.match(body, /^sampled_stream_tweets_total 118$/m);
    assert.match(body, /^sampled_stream_reconnects_total\{cause="stall"\} 3$/m);
    assert.match(body, /^sampled_stream_connected 1$/m);
    assert.match(body, /^sampled_stream_last_message_age_seconds 2$/m);
    assert.equal((await fetch(server.url.replace('/metrics', '/other'))).status, 404);
  } finally {
    await server.close();
  }
});
