import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { snowflakeId, snowflakeTimeMs, WORKER_SEQUENCE_SPACE } from './snowflake.js';

describe('snowflakeId() and snowflakeTimeMs()', () => {
  const cases: { iso: string; workerSequence: number; id?: string }[] = [
    // A real post of the fixtures: created_at "2021-09-22T16:38:35.000Z" (the API truncates to the second).
    { iso: '2021-09-22T16:38:35.333Z', workerSequence: 1_380_362, id: '1440717170493689866' },
    { iso: '2026-11-22T06:31:12.000Z', workerSequence: 0 },
    { iso: '2026-11-22T06:59:59.999Z', workerSequence: WORKER_SEQUENCE_SPACE - 1 },
    { iso: '2010-11-04T01:42:54.657Z', workerSequence: 1, id: '1' },
  ];
  for (const { iso, workerSequence, id } of cases) {
    it(`round-trips ${iso} with worker/sequence ${workerSequence}`, () => {
      const ms = Date.parse(iso);
      const made = snowflakeId(ms, workerSequence);
      if (id !== undefined) assert.equal(made, id);
      assert.match(made, /^\d+$/);
      assert.equal(snowflakeTimeMs(made), ms);
      assert.equal(BigInt(made) & BigInt(WORKER_SEQUENCE_SPACE - 1), BigInt(workerSequence));
    });
  }
});
