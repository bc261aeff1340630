import { defaultFieldLists, loadSettings } from '../../config/index.js';
import {
  CheckpointMismatchError,
  hydrateIds,
  IdFileError,
  progressLine,
  summaryLines,
  type HydrateOptions,
} from '../../hydrate/index.js';
import { systemClock } from '../../platform/clock.js';
import { createLogger } from '../../platform/logger.js';
import { XApiError } from '../../xapi/index.js';
import { stringOption, UsageError, type Command, type CommandContext } from '../command.js';

const DEFAULT_BASE_URL = 'https://api.x.com';

/** The X API part of the options: from --config (or $SAMPLED_STREAM_CONFIG) when given, else the defaults. */
async function apiOptions(ctx: CommandContext): Promise<Pick<HydrateOptions, 'baseUrl' | 'tokenFile' | 'tokenKey' | 'fields'>> {
  const tokenOption = stringOption(ctx.values, 'token-file');
  const baseUrlOption = stringOption(ctx.values, 'api-base-url');
  const hasConfig = stringOption(ctx.values, 'config') !== undefined || ctx.env.SAMPLED_STREAM_CONFIG !== undefined;
  if (hasConfig) {
    const { x_api: xApi } = await loadSettings(ctx.configPath, 'any');
    return {
      baseUrl: baseUrlOption ?? xApi.base_url,
      tokenFile: tokenOption ?? xApi.bearer_token_file,
      tokenKey: tokenOption ? '--token-file' : 'x_api.bearer_token_file',
      fields: xApi,
    };
  }
  if (tokenOption === undefined) {
    throw new UsageError('Cannot hydrate without a bearer token: give --token-file FILE (or --config with x_api.bearer_token_file)');
  }
  return {
    baseUrl: baseUrlOption ?? DEFAULT_BASE_URL,
    tokenFile: tokenOption,
    tokenKey: '--token-file',
    fields: defaultFieldLists(),
  };
}

/** `sampled-stream hydrate`: tweet IDs back to tweets through GET /2/tweets (issue 11.2). */
export const hydrateCommand: Command = {
  name: 'hydrate',
  summary: 'Look up tweet IDs (.txt or .txt.xz files) and write the API answers (JSONL) and the tweets CSV',
  usage:
    'sampled-stream hydrate IDS_FILE... --out OUT.jsonl [--csv OUT.csv.xz] [--config FILE] [--token-file FILE] ' +
    '[--api-base-url URL]   (exit 0 done, 1 stopped by the API or network, 2 bad input)',
  allowPositionals: true,
  options: {
    out: { type: 'string', description: 'JSONL output, one API answer per line; OUT.missing.tsv and a checkpoint go next to it' },
    csv: { type: 'string', description: 'also write the tweets CSV (the 20 columns of the vault); .xz compresses', defaultText: 'none' },
    'token-file': {
      type: 'string',
      description: 'file holding the app bearer token (chmod 600)',
      defaultText: 'x_api.bearer_token_file of --config',
    },
    'api-base-url': {
      type: 'string',
      description: 'X API base URL (the emulator: http://127.0.0.1:PORT)',
      defaultText: `x_api.base_url of --config, else ${DEFAULT_BASE_URL}`,
    },
  },
  async run(ctx) {
    const outPath = stringOption(ctx.values, 'out');
    if (outPath === undefined) throw new UsageError('Option --out OUT.jsonl is required');
    if (ctx.positionals.length === 0) throw new UsageError('Give at least one IDS_FILE (.txt or .txt.xz, one tweet ID per line)');
    const options: HydrateOptions = {
      idFiles: ctx.positionals,
      outPath,
      csvPath: stringOption(ctx.values, 'csv') ?? null,
      ...(await apiOptions(ctx)),
    };
    const log = createLogger({ destination: ctx.stderr, level: 'warn' }).child({ stage: 'hydrate' });
    const tty = (ctx.stderr as NodeJS.WriteStream).isTTY === true;
    let lastWaitShown: number | null = null;
    try {
      const summary = await hydrateIds(options, {
        clock: systemClock,
        log,
        onProgress(progress) {
          // A bar that redraws on a TTY; elsewhere only the waits, once each, so logs stay short.
          if (tty) ctx.stderr.write(`\r\x1b[K${progressLine(progress, systemClock.now())}`);
          else if (progress.waitingUntilMs !== null && progress.waitingUntilMs !== lastWaitShown) {
            ctx.stderr.write(`${progressLine(progress, systemClock.now())}\n`);
          }
          lastWaitShown = progress.waitingUntilMs;
        },
      });
      if (tty) ctx.stderr.write('\n');
      ctx.stdout.write(summaryLines(summary).map((line) => `${line}\n`).join(''));
      return 0;
    } catch (err) {
      if (tty) ctx.stderr.write('\n');
      if (err instanceof IdFileError || err instanceof CheckpointMismatchError) throw new UsageError(err.message, { cause: err });
      if (err instanceof XApiError) {
        ctx.stderr.write(`sampled-stream hydrate stopped: ${err.message}\n${err.hint ? `fix: ${err.hint}\n` : ''}`);
        ctx.stderr.write('Finished batches are kept; run the same command again to continue.\n');
        return 1;
      }
      throw err;
    }
  },
};
