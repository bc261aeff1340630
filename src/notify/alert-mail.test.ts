import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderAlertMail } from './alert-mail.js';

const NOW = Date.parse('2026-11-22T10:42:00Z');

test('renderAlertMail() names server, condition and detail, and says what to do', async (t) => {
  const cases = [
    {
      kind: 'alert' as const,
      subject: 'sampled-stream server2 ALERT: sync to server 1 is behind: 40 files waiting',
      body: [/Open since: 2026-11-22T10:00:00.000Z \(42 min\)/, /What to do: Run 'sampled-stream sync'/],
    },
    {
      kind: 'reminder' as const,
      subject: 'sampled-stream server2 STILL FAILING: sync to server 1 is behind: 40 files waiting',
      body: [/40 files waiting/],
    },
    {
      kind: 'recovered' as const,
      subject: 'sampled-stream server2 recovered: sync to server 1 is behind (after 42 min)',
      body: [/"sync-backlog" on server2 has cleared after 42 min/],
    },
  ];
  for (const c of cases) {
    await t.test(c.kind, () => {
      const mail = renderAlertMail(
        { condition: 'sync-backlog', kind: c.kind, detail: '40 files waiting', openedAt: '2026-11-22T10:00:00.000Z' },
        'server2',
        NOW,
      );
      assert.equal(mail.subject, c.subject);
      for (const pattern of c.body) assert.match(mail.text, pattern);
    });
  }
});

test('renderAlertMail() shortens a long detail in the subject only', () => {
  const detail = 'x'.repeat(300);
  const mail = renderAlertMail({ condition: 'disk-low', kind: 'alert', detail, openedAt: '2026-11-22T10:00:00.000Z' }, 'server1', NOW);
  assert.ok(mail.subject.length < 160);
  assert.ok(mail.subject.endsWith('...'));
  assert.ok(mail.text.includes(detail));
});
