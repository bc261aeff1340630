export { parseFaults, FAULT_KINDS, type Fault, type FaultKind } from './parse-faults.js';
export { startXEmulator, type XEmulator, type XEmulatorOptions } from './x-emulator.js';
export { startFakeOsf, type FakeOsf, type FakeOsfOptions } from './osf-server.js';
export { snowflakeId, snowflakeTimeMs, TWITTER_EPOCH_MS } from './snowflake.js';
