import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadAllCommands, loadCommand } from './commands/index.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import { ConfigError, DEFAULT_CONFIG_PATH } from '../config/index.js';
import { SecretFileModeError } from '../platform/secret-file.js';
import { LockBusyError } from '../platform/lock-file.js';

function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: sampled-stream <command> [--config FILE] [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `Settings: --config FILE, else $SAMPLED_STREAM_CONFIG, else ${DEFAULT_CONFIG_PATH}`,
    "Run 'sampled-stream <command> --help' for a command's options.",
    'Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.',
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const lines = [`Usage: ${command.usage}`, '', command.summary, '', 'Options:'];
  lines.push('  --config FILE  settings file', '  --help         this help');
  for (const [name, option] of Object.entries(command.options)) {
    lines.push(`  --${name}${option.type === 'string' ? ' VALUE' : ''}`);
  }
  return lines.join('\n') + '\n';
}

export interface MainIo {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

/** argv -> command -> exit code. The only place errors become exit codes. */
export async function main(argv: string[], io: MainIo = {}): Promise<number> {
  const stdout = (io.stdout ?? process.stdout) as CommandContext['stdout'];
  const stderr = (io.stderr ?? process.stderr) as CommandContext['stderr'];
  const env = io.env ?? process.env;
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    stdout.write(globalHelp(await loadAllCommands()));
    return name === undefined ? 2 : 0;
  }
  const command = await loadCommand(name);
  if (!command) {
    stderr.write(`Unknown command "${name}"\n\n${globalHelp(await loadAllCommands())}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: {
        ...command.options,
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    if (values.help) {
      stdout.write(commandHelp(command));
      return 0;
    }
    const configPath = (values.config as string | undefined) ?? env.SAMPLED_STREAM_CONFIG ?? DEFAULT_CONFIG_PATH;
    return await command.run({ values, positionals, stdout, stderr, env, configPath });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof SecretFileModeError) {
      stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof LockBusyError) {
      stderr.write(`sampled-stream ${name}: ${err.message}\n`);
      return 1;
    }
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      stderr.write(`${(err as Error).message}\nRun 'sampled-stream ${name} --help' for usage.\n`);
      return 2;
    }
    stderr.write(`sampled-stream ${name} failed: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
