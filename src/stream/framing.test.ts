import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitFrames } from './framing.js';

const b = (s: string) => Buffer.from(s, 'utf8');

/** Feeds chunks one by one and collects frames as text, plus the final rest. */
function feed(chunks: Buffer[]): { frames: string[]; rest: string } {
  let pending: Buffer = Buffer.alloc(0);
  const frames: string[] = [];
  for (const chunk of chunks) {
    const split = splitFrames(pending, chunk);
    frames.push(...split.frames.map((f) => f.toString('utf8')));
    pending = split.rest;
  }
  return { frames, rest: pending.toString('utf8') };
}

const emoji = b('{"t":"a😀b"}\r\n');
const emojiAt = emoji.indexOf(0xf0);

const cases: Array<{ name: string; chunks: Buffer[]; frames: string[]; rest: string }> = [
  { name: 'one complete frame', chunks: [b('{"a":1}\r\n')], frames: ['{"a":1}'], rest: '' },
  { name: 'two frames in one chunk', chunks: [b('{"a":1}\r\n{"b":2}\r\n')], frames: ['{"a":1}', '{"b":2}'], rest: '' },
  { name: 'a heartbeat alone', chunks: [b('\r\n')], frames: [''], rest: '' },
  { name: 'heartbeats glued to data', chunks: [b('\r\n{"a":1}\r\n\r\n')], frames: ['', '{"a":1}', ''], rest: '' },
  { name: 'split inside \\r\\n', chunks: [b('{"a":1}\r'), b('\n{"b"'), b(':2}\r\n')], frames: ['{"a":1}', '{"b":2}'], rest: '' },
  { name: 'a heartbeat split inside \\r\\n', chunks: [b('\r'), b('\n')], frames: [''], rest: '' },
  { name: 'a line over three chunks', chunks: [b('{"a"'), b(':"xyz'), b('"}\r\n')], frames: ['{"a":"xyz"}'], rest: '' },
  {
    name: 'split inside a four-byte character',
    chunks: [emoji.subarray(0, emojiAt + 2), emoji.subarray(emojiAt + 2)],
    frames: ['{"t":"a😀b"}'],
    rest: '',
  },
  {
    name: 'every byte its own chunk',
    chunks: [...emoji].map((byte) => Buffer.from([byte])),
    frames: ['{"t":"a😀b"}'],
    rest: '',
  },
  { name: 'a bare \\n is data, not a terminator', chunks: [b('{"a":\n1}\r\n')], frames: ['{"a":\n1}'], rest: '' },
  { name: 'a bare \\r is data', chunks: [b('x\ry\r\n')], frames: ['x\ry'], rest: '' },
  { name: 'an unterminated tail stays pending', chunks: [b('{"a":1}\r\n{"b"')], frames: ['{"a":1}'], rest: '{"b"' },
  { name: 'a trailing \\r stays pending', chunks: [b('{"a":1}\r')], frames: [], rest: '{"a":1}\r' },
  { name: '\\r then a non-\\n byte', chunks: [b('ab\r'), b('c\r\n')], frames: ['ab\rc'], rest: '' },
  { name: 'an empty chunk', chunks: [b('ab'), Buffer.alloc(0), b('\r\n')], frames: ['ab'], rest: '' },
];

for (const c of cases) {
  test(`splitFrames() handles ${c.name}`, () => {
    assert.deepEqual(feed(c.chunks), { frames: c.frames, rest: c.rest });
  });
}

test('splitFrames() keeps the bytes of a character split across chunks (no U+FFFD)', () => {
  const { frames } = feed([emoji.subarray(0, emojiAt + 1), emoji.subarray(emojiAt + 1)]);
  assert.equal(frames.join('').includes('\uFFFD'), false);
});
