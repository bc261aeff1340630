import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFaults, type Fault } from './parse-faults.js';

describe('parseFaults()', () => {
  const valid: { spec: string; faults: Fault[] }[] = [
    { spec: '', faults: [] },
    { spec: 'drop@30', faults: [{ kind: 'drop', atS: 30, durationS: 0 }] },
    { spec: 'stall@10+45', faults: [{ kind: 'stall', atS: 10, durationS: 45 }] },
    { spec: 'opdisconnect@5#2', faults: [{ kind: 'opdisconnect', atS: 5, durationS: 0, connection: 2 }] },
    { spec: '503@0.5+1.5#1', faults: [{ kind: '503', atS: 0.5, durationS: 1.5, connection: 1 }] },
    {
      spec: ' 429@60+120 , truncate@1,malformed@2, split-utf8@3+4 ',
      faults: [
        { kind: '429', atS: 60, durationS: 120 },
        { kind: 'truncate', atS: 1, durationS: 0 },
        { kind: 'malformed', atS: 2, durationS: 0 },
        { kind: 'split-utf8', atS: 3, durationS: 4 },
      ],
    },
  ];
  for (const { spec, faults } of valid) {
    it(`parses "${spec}"`, () => assert.deepEqual(parseFaults(spec), faults));
  }

  const invalid: { spec: string; message: RegExp }[] = [
    { spec: 'explode@3', message: /fault "explode@3": kind "explode" must be one of drop, stall/ },
    { spec: 'drop', message: /fault "drop": expected kind@second\[\+duration\]\[#connection\]/ },
    { spec: 'drop@-1', message: /fault "drop@-1": expected/ },
    { spec: 'stall@1+', message: /fault "stall@1\+": expected/ },
    { spec: 'drop@1#0', message: /fault "drop@1#0": connection number must be 1 or more/ },
    { spec: 'drop@1,stall@x', message: /fault "stall@x"/ },
  ];
  for (const { spec, message } of invalid) {
    it(`rejects "${spec}" with a RangeError naming the bad part`, () => {
      assert.throws(() => parseFaults(spec), (err: unknown) => err instanceof RangeError && message.test(err.message));
    });
  }
});
