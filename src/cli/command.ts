import type { Writable } from 'node:stream';
import type { ParseArgsConfig } from 'node:util';

type ParseArgsOption = NonNullable<ParseArgsConfig['options']>[string];

/** One option of a command: parseArgs' config plus what `--help` prints for it. */
export type CommandOption = ParseArgsOption & {
  /** One line for `--help`. */
  description: string;
  /** The default as `--help` shows it, when there is one (e.g. "18080", "from settings"). */
  defaultText?: string;
  /** The placeholder after a string option's name in `--help`, e.g. "N", "DIR". @default "VALUE" */
  valueName?: string;
};

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** What a command gets from main(): its parsed arguments and where to write. */
export interface CommandContext {
  values: OptionValues;
  positionals: string[];
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Settings file: --config, else SAMPLED_STREAM_CONFIG, else the default path. */
  configPath: string;
}

/** One CLI command (DESIGN 10); `--help` is generated from these fields. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, CommandOption>;
  allowPositionals?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

/** Bad command line: exit code 2, with a pointer to the command's --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A job started as root: exit code 2; the message says what to do, so no pointer to --help. */
export class RootRefusedError extends Error {
  override name = 'RootRefusedError';
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Parses an ISO time option such as --now; throws UsageError naming the option. */
export function timeOption(values: OptionValues, name: string): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new UsageError(`Option --${name} must be an ISO 8601 time like 2026-11-22T10:00:00Z: got "${raw}"`);
  return ms;
}

/** Parses an integer option; throws UsageError naming the option. */
export function intOption(values: OptionValues, name: string): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`Option --${name} must be a whole number: got "${raw}"`);
  return Number.parseInt(raw, 10);
}

/** Daemons and jobs never run as root (DESIGN 1); tests and the demo opt out explicitly. */
export function refuseRoot(ctx: CommandContext, commandName: string): void {
  if (process.getuid?.() === 0 && ctx.env.SAMPLED_STREAM_ALLOW_ROOT !== '1') {
    throw new RootRefusedError(
      `Refusing to run '${commandName}' as root: run it as the service user (sudo -u sampled-stream ...), ` +
        'or set SAMPLED_STREAM_ALLOW_ROOT=1 for a throwaway test machine',
    );
  }
}
