import { Gauge, Registry } from 'prom-client';
import type { StreamState } from '../contracts/index.js';

/**
 * Stream daemon metrics, read from the daemon's in-memory state at scrape time: no per-message work, and
 * the numbers always agree with stream.json.
 */
export function streamMetricsRegistry(getState: () => StreamState | null, now: () => number): Registry {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[], collect: (g: Gauge) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        collect(this);
      },
    });
  const withState = (fn: (state: StreamState, g: Gauge) => void) => (g: Gauge) => {
    const state = getState();
    if (state) fn(state, g);
  };
  gauge('sampled_stream_messages_total', 'Stream messages written to the spool', [], withState((s, g) => g.set(s.counters.messages)));
  gauge('sampled_stream_tweets_total', 'Tweets written to the spool', [], withState((s, g) => g.set(s.counters.tweets)));
  gauge('sampled_stream_errors_total', 'Error messages received in the stream', [], withState((s, g) => g.set(s.counters.errors)));
  gauge('sampled_stream_malformed_total', 'Malformed lines dropped', [], withState((s, g) => g.set(s.counters.malformed)));
  gauge('sampled_stream_reconnects_total', 'Reconnects by cause', ['cause'], withState((s, g) => {
    for (const [cause, count] of Object.entries(s.counters.reconnects)) g.set({ cause }, count ?? 0);
  }));
  gauge('sampled_stream_connected', '1 while a stream connection delivers data', [], withState((s, g) => g.set(s.connected ? 1 : 0)));
  gauge('sampled_stream_last_message_age_seconds', 'Seconds since the last message', [], withState((s, g) => {
    if (s.last_message_at) g.set((now() - Date.parse(s.last_message_at)) / 1000);
  }));
  gauge('sampled_stream_watermark_lag_seconds', 'Seconds between now and the watermark', [], withState((s, g) => {
    g.set((now() - Date.parse(s.watermark)) / 1000);
  }));
  return registry;
}
