import { intOption, stringOption, UsageError, type Command, type OptionValues } from '../command.js';
import { parseFaults, startFakeOsf, startXEmulator, type XEmulatorOptions } from '../../emulator/index.js';

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
    '[--faults kind@second[+duration][#conn],...] [--seed N] [--ledger FILE] | emulator --osf [--port N] [--token T] [--storage DIR]',
  options: {
    port: { type: 'string' },
    rate: { type: 'string' },
    token: { type: 'string' },
    'max-connections': { type: 'string' },
    'keepalive-s': { type: 'string' },
    faults: { type: 'string' },
    seed: { type: 'string' },
    ledger: { type: 'string', description: 'Record every tweet written to each connection: one line conn<TAB>id<TAB>sent_at_ms' },
    osf: { type: 'boolean' },
    storage: { type: 'string' },
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
