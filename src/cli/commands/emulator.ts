import { intOption, stringOption, UsageError, type Command, type OptionValues } from '../command.js';
import { FAULT_KINDS, parseFaults, startFakeOsf, startXEmulator, type XEmulatorOptions } from '../../emulator/index.js';

function numberOption(values: OptionValues, name: string): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(raw)) throw new UsageError(`Option --${name} must be a number >= 0: got "${raw}"`);
  return Number(raw);
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** Turns the command line into emulator options; bad values are usage errors (exit 2). */
function emulatorOptions(values: OptionValues): XEmulatorOptions {
  try {
    return {
      port: intOption(values, 'port'),
      ratePerS: numberOption(values, 'rate'),
      token: stringOption(values, 'token'),
      maxConnections: intOption(values, 'max-connections'),
      keepaliveS: numberOption(values, 'keepalive-s'),
      faults: parseFaults(stringOption(values, 'faults') ?? ''),
      seed: intOption(values, 'seed'),
      deletedEvery: intOption(values, 'deleted-every'),
      lookupLimit: intOption(values, 'lookup-limit'),
      windowS: numberOption(values, 'window-s'),
      ledger: stringOption(values, 'ledger'),
    };
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(`Option --faults is invalid: ${err.message}`, { cause: err });
    throw err;
  }
}

/** `sampled-stream emulator`: the fake X API until SIGTERM/SIGINT (DESIGN 11). */
export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'Run the fake X API (or --osf: the fake OSF)',
  usage:
    'sampled-stream emulator [--port N] [--rate TWEETS_PER_S] [--token T] [--max-connections N] [--keepalive-s S] ' +
    '[--faults kind@second[+duration][#conn],...] [--seed N] [--deleted-every N] [--lookup-limit N] [--window-s S] [--ledger FILE] | emulator --osf [--port N] [--token T] [--storage DIR]',
  options: {
    port: { type: 'string', valueName: 'N', description: 'port to listen on, on 127.0.0.1', defaultText: 'a free port' },
    rate: { type: 'string', valueName: 'TWEETS_PER_S', description: 'tweets per second of the sample; 0 = as fast as possible', defaultText: '50' },
    token: { type: 'string', valueName: 'T', description: 'the only bearer token accepted', defaultText: 'any non-empty token' },
    'max-connections': { type: 'string', valueName: 'N', description: 'connections per token; more get 429 TooManyConnections', defaultText: '2' },
    'keepalive-s': { type: 'string', valueName: 'S', description: 'seconds between keep-alive heartbeats', defaultText: '20' },
    faults: {
      type: 'string',
      valueName: 'SPEC',
      description: `faults to inject, kind@second[+duration][#conn],...; kinds: ${FAULT_KINDS.join(', ')}`,
      defaultText: 'none',
    },
    seed: { type: 'string', valueName: 'N', description: 'seed of the deterministic sample', defaultText: '1' },
    'deleted-every': {
      type: 'string',
      valueName: 'N',
      description: 'GET /2/tweets reports IDs divisible by N as not found (about one in N, as if deleted)',
      defaultText: '0 (none)',
    },
    'lookup-limit': {
      type: 'string',
      valueName: 'N',
      description: 'GET /2/tweets requests per token per window; more get 429 with x-rate-limit-* headers',
      defaultText: '300',
    },
    'window-s': { type: 'string', valueName: 'S', description: 'length of the lookup rate-limit window in seconds', defaultText: '900' },
    ledger: { type: 'string', valueName: 'FILE', description: 'record every tweet written to each connection: one line conn<TAB>id<TAB>sent_at_ms', defaultText: 'no ledger' },
    osf: { type: 'boolean', description: 'run the fake OSF (WaterButler) instead of the fake X API' },
    storage: { type: 'string', valueName: 'DIR', description: 'with --osf: also mirror the latest version of every file here', defaultText: 'memory only' },
  },
  async run(ctx) {
    if (ctx.values.osf) {
      const osf = await startFakeOsf({
        port: intOption(ctx.values, 'port'),
        token: stringOption(ctx.values, 'token') ?? null,
        storageDir: stringOption(ctx.values, 'storage'),
      });
      ctx.stdout.write(`Fake OSF listening on ${osf.url} (project ${osf.projectId})\n`);
      await untilSignal();
      await osf.close();
      return 0;
    }
    const options = emulatorOptions(ctx.values);
    let emulator;
    try {
      emulator = await startXEmulator(options);
    } catch (err) {
      if (err instanceof RangeError) throw new UsageError(err.message, { cause: err });
      throw err;
    }
    ctx.stdout.write(`X API emulator listening on ${emulator.url}\n`);
    await untilSignal();
    await emulator.close();
    return 0;
  },
};
