import { DEFAULT_CONFIG_PATH } from '../config/index.js';
import type { CommandOption } from './command.js';

/** Options every command takes; main() also accepts them before the command name. */
export const GLOBAL_OPTIONS = {
  config: {
    type: 'string',
    valueName: 'FILE',
    description: 'settings file',
    defaultText: `$SAMPLED_STREAM_CONFIG, else ${DEFAULT_CONFIG_PATH}`,
  },
  debug: { type: 'boolean', description: 'after an unexpected error, print its stack trace (so does LOG_LEVEL=debug)' },
  help: { type: 'boolean', short: 'h', description: 'print this help and exit' },
} as const satisfies Record<string, CommandOption>;

/** Options only before a command name: `sampled-stream --version`. */
export const ROOT_OPTIONS = {
  ...GLOBAL_OPTIONS,
  version: { type: 'boolean', short: 'V', description: 'print the version and exit' },
} as const satisfies Record<string, CommandOption>;
