import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { tempDir } from '../../test/helpers/tmp.js';
import { loadMessageTemplates, type MessageTemplate } from './message-templates.js';

describe('loadMessageTemplates()', () => {
  it('reads the committed templates: single-tweet messages with the author first', async () => {
    const templates = await loadMessageTemplates();
    assert.ok(templates.length >= 60 && templates.length <= 100, `${templates.length} templates`);
    for (const t of templates) assert.equal(t.includes.users[0]!.id, t.data.author_id);
    const kindOf = (t: MessageTemplate) => (t.data.referenced_tweets as { type: string }[] | undefined)?.[0]?.type;
    const kinds = new Set(templates.map((t) => kindOf(t) ?? 'none'));
    assert.deepEqual([...kinds].sort(), ['none', 'quoted', 'replied_to', 'retweeted']);
  });

  const broken: { name: string; line: string; message: RegExp }[] = [
    { name: 'no includes', line: '{"data":{"id":"1","author_id":"2"}}', message: /:2: expected \{"data"/ },
    { name: 'a numeric id', line: '{"data":{"id":1,"author_id":"2"},"includes":{"users":[{"id":"2"}]}}', message: /must be strings/ },
    { name: 'the author not first', line: '{"data":{"id":"1","author_id":"2"},"includes":{"users":[{"id":"3"}]}}', message: /start with the author 2/ },
  ];
  for (const { name, line, message } of broken) {
    it(`rejects a template with ${name}, naming the line`, async () => {
      const file = join(await tempDir(), 'templates.jsonl');
      await writeFile(file, `{"data":{"id":"1","author_id":"2"},"includes":{"users":[{"id":"2"}]}}\n${line}\n`);
      await assert.rejects(loadMessageTemplates(pathToFileURL(file)), message);
    });
  }
});
