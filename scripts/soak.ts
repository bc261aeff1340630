/**
 * `npm run soak -- --minutes 10 [--seed N] [--rate TWEETS_PER_S] [--speed X] [--out DIR]` (issue 12.4):
 * prints one table and exits 1 if any check failed. The run's files stay in `<out>/soak-<time>/`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SOAK_OPTIONS, runSoak } from '../src/demo/soak.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    seed: { type: 'string', default: String(DEFAULT_SOAK_OPTIONS.seed) },
    rate: { type: 'string', default: String(DEFAULT_SOAK_OPTIONS.ratePerS) },
    speed: { type: 'string', default: String(DEFAULT_SOAK_OPTIONS.speed) },
    out: { type: 'string', default: 'soak-output' },
  },
});

function positive(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} must be a number > 0: got "${raw}"\n`);
    process.exit(2);
  }
  return value;
}

const result = await runSoak(
  {
    minutes: positive('minutes', values.minutes),
    seed: Math.trunc(positive('seed', values.seed)),
    ratePerS: positive('rate', values.rate),
    speed: positive('speed', values.speed),
    outputRoot: resolve(values.out),
  },
  process.stdout,
);
process.exit(result.passed ? 0 : 1);
