import type { Command, CommandOption } from './command.js';
import { GLOBAL_OPTIONS, ROOT_OPTIONS } from './global-options.js';

type OptionTable = Record<string, CommandOption>;

/** `-h, --help`, `--port N`: what a user types. */
function optionSyntax(name: string, option: CommandOption): string {
  const short = option.short === undefined ? '' : `-${option.short}, `;
  const value = option.type === 'string' ? ` ${option.valueName ?? 'VALUE'}` : '';
  return `${short}--${name}${value}`;
}

function optionText(option: CommandOption): string {
  return option.defaultText === undefined ? option.description : `${option.description} (default: ${option.defaultText})`;
}

/** Sections of options as one aligned table: `  --port N        port to listen on (default: 18080)`. */
function optionSections(sections: ReadonlyArray<readonly [title: string, options: OptionTable]>): string[] {
  const rows = sections.map(([title, options]) => {
    const entries = Object.entries(options).map(([name, option]) => [optionSyntax(name, option), optionText(option)] as const);
    return [title, entries] as const;
  });
  const width = Math.max(...rows.flatMap(([, entries]) => entries.map(([syntax]) => syntax.length)));
  return rows
    .filter(([, entries]) => entries.length > 0)
    .flatMap(([title, entries]) => ['', `${title}:`, ...entries.map(([syntax, text]) => `  ${syntax.padEnd(width)}  ${text}`)]);
}

/** `sampled-stream --help`: every command and the global options. */
export function globalHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: sampled-stream [--version] [--debug] <command> [--config FILE] [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    ...optionSections([['Options', ROOT_OPTIONS]]),
    '',
    "Run 'sampled-stream <command> --help' for a command's options.",
    'Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error.',
    '',
  ].join('\n');
}

/** `sampled-stream <command> --help`: usage, summary and every option with its description and default. */
export function commandHelp(command: Command): string {
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    ...optionSections([
      ['Options', command.options],
      ['Global options', GLOBAL_OPTIONS],
    ]),
    '',
  ].join('\n');
}
