import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMetricsServer } from '../platform/metrics-server.js';
import { streamMetricsRegistry } from './stream-metrics.js';
import { schedulerMetrics } from './scheduler-metrics.js';
import type { StreamState } from '../contracts/index.js';
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

test('schedulerMetrics() exposes job outcomes and the sync backlog', async () => {
  const metrics = schedulerMetrics(async () => ({
    format_version: 1,
    server: 'server2',
    complete_until: null,
    gaps: [],
    backlog: { files: 7, bytes: 1234, oldest_minute: '2026-11-22T06:00:00.000Z' },
    sent: {},
    updated_at: '2026-11-22T06:10:00.000Z',
  }));
  metrics.record({ job: 'hourly', result: 'ok', durationMs: 42_500 }, 1_800_000_000_000);
  metrics.record({ job: 'sync', result: 'failed', durationMs: 1_000 }, 1_800_000_000_000);
  const body = await metrics.registry.metrics();
  assert.match(body, /^sampled_stream_job_runs_total\{job="hourly",result="ok"\} 1$/m);
  assert.match(body, /^sampled_stream_job_runs_total\{job="sync",result="failed"\} 1$/m);
  assert.match(body, /^sampled_stream_job_last_duration_seconds\{job="hourly"\} 42\.5$/m);
  assert.match(body, /^sampled_stream_job_last_success_timestamp_seconds\{job="hourly"\} 1800000000$/m);
  assert.doesNotMatch(body, /job_last_success_timestamp_seconds\{job="sync"\}/);
  assert.match(body, /^sampled_stream_sync_backlog_files 7$/m);
});
