import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadAllCommands, loadCommand } from './commands/index.js';
import type { CommandContext } from './command.js';
import { DEFAULT_CONFIG_PATH } from '../config/index.js';
import { failureReport } from './failure.js';
import { GLOBAL_OPTIONS, ROOT_OPTIONS } from './global-options.js';
import { commandHelp, globalHelp } from './help.js';
import { packageVersion } from './version.js';

export interface MainIo {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

/** Splits `[--debug] [--config FILE] <command> [args]` at the command name. */
function splitAtCommand(argv: readonly string[]): { leading: string[]; name: string | undefined; rest: string[] } {
  let i = 0;
  while (i < argv.length && argv[i]!.startsWith('-')) i += argv[i] === '--config' ? 2 : 1;
  return { leading: argv.slice(0, i), name: argv[i], rest: argv.slice(i + 1) };
}

/** argv -> command -> exit code. The only place errors become exit codes. */
export async function main(argv: string[], io: MainIo = {}): Promise<number> {
  const stdout = (io.stdout ?? process.stdout) as CommandContext['stdout'];
  const stderr = (io.stderr ?? process.stderr) as CommandContext['stderr'];
  const env = io.env ?? process.env;
  const { leading, name, rest } = splitAtCommand(argv);
  let debug = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
  let root;
  try {
    root = parseArgs({ args: leading, options: ROOT_OPTIONS, strict: true }).values;
  } catch (err) {
    const report = failureReport(err, 'sampled-stream', debug);
    stderr.write(report.text);
    return report.code;
  }
  if (root.version) {
    stdout.write(`sampled-stream ${await packageVersion()}\n`);
    return 0;
  }
  const helpTopic = name === 'help' ? rest[0] : undefined;
  if (root.help || (name === 'help' && helpTopic === undefined)) {
    stdout.write(globalHelp(await loadAllCommands()));
    return 0;
  }
  if (name === undefined) {
    stderr.write(globalHelp(await loadAllCommands()));
    return 2;
  }
  const command = await loadCommand(helpTopic ?? name);
  if (!command) {
    stderr.write(`sampled-stream: unknown command '${helpTopic ?? name}'; run 'sampled-stream --help'\n`);
    return 2;
  }
  if (helpTopic !== undefined) {
    stdout.write(commandHelp(command));
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...leading, ...rest],
      options: { ...command.options, ...GLOBAL_OPTIONS },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    debug ||= values.debug === true;
    if (values.help) {
      stdout.write(commandHelp(command));
      return 0;
    }
    const configPath = (values.config as string | undefined) ?? env.SAMPLED_STREAM_CONFIG ?? DEFAULT_CONFIG_PATH;
    return await command.run({ values, positionals, stdout, stderr, env, configPath });
  } catch (err) {
    const report = failureReport(err, `sampled-stream ${name}`, debug);
    stderr.write(report.text);
    return report.code;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
