/**
 * Entry point: the stream daemon on an accelerated clock, for the soak (`node fast-clock-stream.js --config
 * FILE --origin REAL_MS,START_MS,SPEED`). Every process of a soak shares one origin, so the emulator, the
 * daemons, sync and `hourly --now` agree on the time while hours pass in minutes.
 */
import { parseArgs } from 'node:util';
import { acceleratedClock } from '../platform/clock.js';
import { streamUntilSignal } from '../cli/commands/stream.js';
import { parseOrigin } from './clock-origin.js';

const { values } = parseArgs({ options: { config: { type: 'string' }, origin: { type: 'string' } } });
if (values.config === undefined) throw new Error('--config FILE is required');
await streamUntilSignal(values.config, acceleratedClock(parseOrigin(values.origin)));
