import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspectFrame, metaMember, spoolLineParts, type FrameInfo, type SpoolLine } from './spool-line.js';

const b = (s: string) => Buffer.from(s, 'utf8');
const opDisconnect = '{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"x","type":"https://api.x.com/2/problems/operational-disconnect"}]}';

const kinds: Array<[string, Buffer, string, boolean?]> = [
  ['an empty frame', b(''), 'keepalive'],
  ['a frame of blanks', b('  \t'), 'keepalive'],
  ['a tweet', b('{"data":{"id":"1","text":"hi"}}'), 'tweet'],
  ['a tweet with partial errors', b('{"data":{"id":"1"},"errors":[{"title":"Not Found Error"}]}'), 'tweet'],
  ['an error-only message', b('{"errors":[{"title":"Not Found Error"}]}'), 'error-only'],
  ['an operational disconnect', b(opDisconnect), 'error-only', true],
  ['an unknown future message', b('{"future":{"x":1}}'), 'other'],
  ['a data member without id', b('{"data":{"text":"x"}}'), 'other'],
  ['an empty object', b('{}'), 'other'],
  ['cut JSON', b('{"data": {"id": "12'), 'malformed'],
  ['an array', b('[1,2]'), 'malformed'],
  ['a bare string', b('"x"'), 'malformed'],
  ['invalid UTF-8', Buffer.concat([b('{"data":{"id":"1","text":"'), Buffer.from([0xf0, 0x9f]), b('"}}')]), 'malformed'],
];

for (const [name, frame, kind, op = false] of kinds) {
  test(`inspectFrame() reads ${name} as ${kind}`, () => {
    const info: FrameInfo = inspectFrame(frame);
    assert.equal(info.kind, kind);
    if ('operationalDisconnect' in info) assert.equal(info.operationalDisconnect, op);
  });
}

test('inspectFrame() names why a line is malformed', () => {
  assert.deepEqual(inspectFrame(b('{"a":')), { kind: 'malformed', reason: 'invalid-json' });
  assert.deepEqual(inspectFrame(b('null')), { kind: 'malformed', reason: 'not-an-object' });
  assert.deepEqual(inspectFrame(Buffer.from([0x7b, 0xff, 0x7d])), { kind: 'malformed', reason: 'invalid-utf8' });
});

const meta = metaMember(Date.parse('2026-11-22T06:27:01.5Z'), 'server1', null);
const render = (frame: string) => Buffer.concat(spoolLineParts(inspectFrame(b(frame)) as SpoolLine, meta)).toString('utf8');

const renders: Array<[string, string, string]> = [
  ['a tweet', '{"data":{"id":"1"}}', '{"data":{"id":"1"},"__meta":{"retrieved_at":"2026-11-22T06:27:01.500Z","server":"server1"}}\n'],
  ['trailing blanks', '{"data":{"id":"1"}} \t', '{"data":{"id":"1"},"__meta":{"retrieved_at":"2026-11-22T06:27:01.500Z","server":"server1"}}\n'],
  ['an empty object', '{ }', '{ "__meta":{"retrieved_at":"2026-11-22T06:27:01.500Z","server":"server1"}}\n'],
];

for (const [name, frame, expected] of renders) {
  test(`spoolLineParts() splices __meta into ${name}`, () => {
    assert.equal(render(frame), expected);
  });
}

test('spoolLineParts() keeps every member and character as received', () => {
  const original = { data: { id: '9', text: 'a\nb "q" 😀 中文 עברית \r NA' }, includes: { users: [{ id: '2' }] }, matching_rules: [], zz: null };
  const line = JSON.parse(render(JSON.stringify(original))) as Record<string, unknown>;
  const { __meta, ...rest } = line;
  assert.deepEqual(rest, original);
  assert.deepEqual(__meta, { retrieved_at: '2026-11-22T06:27:01.500Z', server: 'server1' });
});

test('metaMember() adds the partition with sample10', () => {
  assert.equal(metaMember(0, 'server2', 2).toString(), '"__meta":{"retrieved_at":"1970-01-01T00:00:00.000Z","server":"server2","partition":2}');
});
