import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStreamQuery, type StreamEndpoint } from './stream-query.js';

describe('parseStreamQuery()', () => {
  const rejected: { name: string; endpoint: StreamEndpoint; query: string; parameters: Record<string, string[]>[] }[] = [
    { name: 'an unknown tweet field', endpoint: 'sample', query: 'tweet.fields=text,bogus', parameters: [{ 'tweet.fields': ['bogus'] }] },
    { name: 'an unknown expansion', endpoint: 'sample', query: 'expansions=author', parameters: [{ expansions: ['author'] }] },
    { name: 'an unknown user field', endpoint: 'sample', query: 'user.fields=email', parameters: [{ 'user.fields': ['email'] }] },
    { name: 'backfill over 5', endpoint: 'sample', query: 'backfill_minutes=6', parameters: [{ backfill_minutes: ['6'] }] },
    { name: 'partition on the 1% stream', endpoint: 'sample', query: 'partition=1', parameters: [{ partition: ['1'] }] },
    { name: 'sample10 without partition', endpoint: 'sample10', query: '', parameters: [{ partition: [] }] },
    { name: 'sample10 partition 3', endpoint: 'sample10', query: 'partition=3', parameters: [{ partition: ['3'] }] },
    { name: 'a bad start_time', endpoint: 'sample10', query: 'partition=1&start_time=yesterday', parameters: [{ start_time: ['yesterday'] }] },
    {
      name: 'two problems at once',
      endpoint: 'sample',
      query: 'place.fields=bogus&poll.fields=nope',
      parameters: [{ 'poll.fields': ['nope'] }, { 'place.fields': ['bogus'] }],
    },
  ];
  for (const { name, endpoint, query, parameters } of rejected) {
    it(`reports ${name}`, () => {
      const result = parseStreamQuery(new URLSearchParams(query), endpoint);
      assert.equal(result.ok, false);
      if (result.ok) return;
      assert.deepEqual(result.errors.map((e) => e.parameters).sort(), parameters.sort());
      for (const error of result.errors) assert.ok(error.message.length > 20);
    });
  }

  it('explains an unknown field value with the allowed list', () => {
    const result = parseStreamQuery(new URLSearchParams('media.fields=colour'), 'sample');
    assert.ok(!result.ok);
    assert.match(result.errors[0]!.message, /^The `media.fields` query parameter value \[colour\] is not one of \[alt_text,/);
  });

  it('accepts the daemon defaults and sample10 partitions, with a key that ignores order', () => {
    const query = 'tweet.fields=text,lang&expansions=author_id&backfill_minutes=2';
    const a = parseStreamQuery(new URLSearchParams(query), 'sample');
    const b = parseStreamQuery(new URLSearchParams('expansions=author_id&tweet.fields=lang,text'), 'sample');
    assert.ok(a.ok && b.ok);
    assert.equal(a.query.fieldsKey, b.query.fieldsKey);
    assert.deepEqual([...a.query.fields.tweetFields], ['text', 'lang']);
    assert.equal(a.query.backfillMinutes, 2);
    assert.equal(a.query.partition, null);
    const c = parseStreamQuery(new URLSearchParams('partition=2&start_time=2026-11-22T06:00:00Z'), 'sample10');
    assert.ok(c.ok);
    assert.equal(c.query.partition, 2);
  });
});
