import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SampleTimeline, type SampleTimelineOptions } from './sample-timeline.js';
import { snowflakeTimeMs } from './snowflake.js';

const BASE: SampleTimelineOptions = {
  ratePerS: 50,
  seed: 1,
  duplicateRate: 0.002,
  outOfOrderRate: 0.01,
  maxLagMs: 3000,
  templateCount: 90,
  variantWeights: [24, 3, 2, 1],
  authorCount: 80,
};
const HOUR_MS = Date.parse('2026-11-22T07:00:00.000Z');

describe('SampleTimeline', () => {
  it('sampleIds() gives the same IDs for the same seed and other IDs for another seed', () => {
    const from = HOUR_MS - 60_000;
    const a = new SampleTimeline(BASE).sampleIds(from, HOUR_MS);
    const b = new SampleTimeline({ ...BASE }).sampleIds(from, HOUR_MS);
    const c = new SampleTimeline({ ...BASE, seed: 2 }).sampleIds(from, HOUR_MS);
    assert.ok(a.length >= 2990 && a.length <= 3000, `${a.length} tweets in a minute at 50/s`);
    assert.deepEqual(a, b);
    assert.equal(c.filter((id) => a.includes(id)).length, 0);
  });

  const rates = [0.1, 3, 50, 1234.5, 100_000];
  for (const ratePerS of rates) {
    it(`firstEventAtOrAfter() finds the first delivery at or after a time at ${ratePerS}/s`, () => {
      const timeline = new SampleTimeline({ ...BASE, ratePerS });
      for (const ms of [HOUR_MS, HOUR_MS + 1, HOUR_MS + 333, HOUR_MS + 20_001]) {
        const k = timeline.firstEventAtOrAfter(ms);
        assert.ok(timeline.deliveryMs(k) >= ms);
        assert.ok(timeline.deliveryMs(k - 1) < ms);
      }
    });
  }

  it('tweet() IDs agree with created_at, which precedes delivery by at most maxLagMs (plus the late share)', () => {
    const timeline = new SampleTimeline(BASE);
    const first = timeline.firstEventAtOrAfter(HOUR_MS);
    let late = 0;
    const ids = new Set<string>();
    for (let k = first; k < first + 20_000; k++) {
      const tweet = timeline.tweet(k);
      const lagMs = timeline.deliveryMs(k) - tweet.createdMs;
      assert.equal(snowflakeTimeMs(tweet.id), tweet.createdMs);
      assert.ok(lagMs >= 0 && lagMs <= 3000 + 20_000, `lag ${lagMs}`);
      if (lagMs > 3000) late += 1;
      ids.add(tweet.id);
      assert.ok(tweet.template < 90 && tweet.author < 80 && tweet.variant < 4);
    }
    assert.equal(ids.size, 20_000, 'IDs are unique');
    assert.ok(late > 100 && late < 300, `${late} late tweets of 20,000 at 1%`);
  });

  it('delivers tweets created before an hour boundary after it', () => {
    const timeline = new SampleTimeline(BASE);
    const k = timeline.firstEventAtOrAfter(HOUR_MS);
    const crossing = Array.from({ length: 50 }, (_, i) => timeline.delivery(k + i)).filter(
      (d) => d.tweet.createdMs < HOUR_MS && d.deliveryMs >= HOUR_MS,
    );
    assert.ok(crossing.length > 10);
  });

  it('delivery() repeats earlier tweets at about duplicateRate, within the same sample10 partition', () => {
    const timeline = new SampleTimeline({ ...BASE, duplicateRate: 0.05 });
    const first = timeline.firstEventAtOrAfter(HOUR_MS);
    let duplicates = 0;
    for (let k = first; k < first + 10_000; k++) {
      const delivery = timeline.delivery(k);
      if (!delivery.duplicate) continue;
      duplicates += 1;
      const source = Array.from({ length: 100 }, (_, i) => k - 2 * (i + 1)).find(
        (j) => timeline.tweet(j).id === delivery.tweet.id,
      );
      assert.ok(source !== undefined, 'a duplicate repeats a tweet of the same parity a few events earlier');
    }
    assert.ok(duplicates > 400 && duplicates < 600, `${duplicates} duplicates of 10,000 at 5%`);
  });

  it('alignedEvent() picks the first event of a partition', () => {
    const timeline = new SampleTimeline(BASE);
    for (const offset of [0, 1]) {
      const k = timeline.alignedEvent(HOUR_MS, 2, offset);
      assert.equal(k % 2, offset);
      assert.ok(timeline.deliveryMs(k) >= HOUR_MS && k - timeline.firstEventAtOrAfter(HOUR_MS) < 2);
    }
  });

  it('rejects a rate of 0 with a RangeError', () => {
    assert.throws(() => new SampleTimeline({ ...BASE, ratePerS: 0 }), /ratePerS must be > 0: got 0/);
  });
});

describe('SampleTimeline.eventOf()', () => {
  for (const ratePerS of [50, 100_000]) {
    it(`finds the event of every sampled ID and nothing for other IDs at ${ratePerS}/s`, () => {
      const timeline = new SampleTimeline({ ...BASE, ratePerS });
      const ids = timeline.sampleIds(HOUR_MS, HOUR_MS + (ratePerS > 1000 ? 50 : 20_000));
      assert.ok(ids.length > 500);
      for (const id of ids) {
        const k = timeline.eventOf(id);
        assert.notEqual(k, null, id);
        assert.equal(timeline.tweet(k!).id, id);
      }
      for (const other of ['20', ids[0]!.slice(0, -1) + ((Number(ids[0]!.at(-1)) + 1) % 10), 'abc', '']) {
        assert.equal(timeline.eventOf(other), null, other);
      }
      assert.equal(new SampleTimeline({ ...BASE, ratePerS, seed: 2 }).eventOf(ids[0]!), null);
    });
  }
});
