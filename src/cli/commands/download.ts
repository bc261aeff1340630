import type { Writable } from 'node:stream';
import { loadSettings, timeZoneProblem, type Settings } from '../../config/index.js';
import { parseHourKey } from '../../contracts/index.js';
import { barProgress, downloadHours, DownloadError, formatSummary, lineProgress } from '../../download/index.js';
import { systemClock } from '../../platform/clock.js';
import { readTokenFile } from '../../platform/secret-file.js';
import { stringOption, UsageError, type Command, type CommandContext } from '../command.js';

const DEFAULT_BASE_URL = 'https://files.osf.io';

function hourOption(name: string, raw: string): number {
  try {
    return parseHourKey(raw);
  } catch (err) {
    throw new UsageError(`Option --${name}: ${(err as Error).message}`, { cause: err });
  }
}

/** Settings are read only when asked for (--config or SAMPLED_STREAM_CONFIG): researchers usually have none. */
async function optionalSettings(ctx: CommandContext): Promise<Settings | null> {
  const asked = stringOption(ctx.values, 'config') !== undefined || ctx.env.SAMPLED_STREAM_CONFIG !== undefined;
  return asked ? loadSettings(ctx.configPath, 'any') : null;
}

function isTerminal(stream: Writable): boolean {
  return (stream as Partial<NodeJS.WriteStream>).isTTY === true;
}

/** `download`: hours of IDs files from OSF into a folder, verified (issue 11). */
export const downloadCommand: Command = {
  name: 'download',
  summary: 'Download hourly IDs files (with the day reports and SHA256SUMS) from OSF into a folder, verified',
  usage:
    'sampled-stream download --from YYYY-MM-DDTHH [--to YYYY-MM-DDTHH] --out DIR [--osf-project ID] ' +
    '[--osf-base-url URL] [--osf-token-file FILE] [--timezone ZONE] [--config FILE]',
  options: {
    from: { type: 'string', valueName: 'HOUR', description: 'first hour to download, a UTC hour as YYYY-MM-DDTHH' },
    to: { type: 'string', valueName: 'HOUR', description: 'last hour to download (inclusive), a UTC hour', defaultText: 'the --from hour' },
    out: { type: 'string', valueName: 'DIR', description: 'folder to download into; files go to DIR/YYYY-MM-DD/ by label date' },
    'osf-project': {
      type: 'string',
      valueName: 'ID',
      description: "the OSF project's ID, the 5 characters in its address osf.io/<ID>/",
      defaultText: 'osf.project_id of --config',
    },
    'osf-base-url': {
      type: 'string',
      valueName: 'URL',
      description: 'the WaterButler files API',
      defaultText: `osf.base_url of --config, else ${DEFAULT_BASE_URL}`,
    },
    'osf-token-file': {
      type: 'string',
      valueName: 'FILE',
      description: 'file (chmod 600) holding an OSF personal access token, needed only for a private project',
      defaultText: 'osf.token_file of --config, else none (public project)',
    },
    timezone: {
      type: 'string',
      valueName: 'ZONE',
      description: "time zone of the file labels, the publisher's hourly.output_timezone (see the project's description)",
      defaultText: 'hourly.output_timezone of --config, else UTC',
    },
  },
  async run(ctx) {
    const from = stringOption(ctx.values, 'from');
    const outDir = stringOption(ctx.values, 'out');
    if (from === undefined) throw new UsageError('Option --from is required: the first UTC hour, e.g. --from 2026-11-22T03');
    if (outDir === undefined) throw new UsageError('Option --out is required: the folder to download into, e.g. --out ./osf-ids');
    const fromMs = hourOption('from', from);
    const toMs = hourOption('to', stringOption(ctx.values, 'to') ?? from);
    if (toMs < fromMs) throw new UsageError(`Option --to (${stringOption(ctx.values, 'to')}) is before --from (${from})`);
    const settings = await optionalSettings(ctx);
    const projectId = stringOption(ctx.values, 'osf-project') ?? settings?.osf.project_id ?? undefined;
    if (!projectId) throw new UsageError("Option --osf-project is required (or 'osf.project_id' in --config): the ID in the project's address osf.io/<ID>/");
    const timeZone = stringOption(ctx.values, 'timezone') ?? settings?.hourly.output_timezone ?? 'UTC';
    const zoneProblem = timeZoneProblem(timeZone);
    if (zoneProblem !== undefined) throw new UsageError(`Option --timezone ${JSON.stringify(timeZone)}: ${zoneProblem}`);
    const tokenOption = stringOption(ctx.values, 'osf-token-file');
    const tokenFile = tokenOption ?? settings?.osf.token_file ?? null;
    const tokenKey = tokenOption === undefined ? 'osf.token_file' : '--osf-token-file';
    const token = tokenFile === null ? null : await readTokenFile(tokenKey, tokenFile);
    const baseUrl = stringOption(ctx.values, 'osf-base-url') ?? settings?.osf.base_url ?? DEFAULT_BASE_URL;
    const progress = isTerminal(ctx.stderr) ? barProgress(ctx.stderr, systemClock) : lineProgress(ctx.stderr);
    try {
      const summary = await downloadHours({ fromMs, toMs, outDir, baseUrl, projectId, token, timeZone }, { clock: systemClock, progress });
      ctx.stdout.write(formatSummary(summary));
      return summary.ok ? 0 : 1;
    } catch (err) {
      if (!(err instanceof DownloadError)) throw err;
      ctx.stderr.write(`sampled-stream download: ${err.message}\n`);
      return 1;
    }
  },
};
