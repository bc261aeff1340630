import type { Command } from '../command.js';

/**
 * Every command, in --help order (DESIGN 10). A command's module is imported only when it runs, so the
 * stream daemon does not carry SFTP, SMTP, xz and OSF code it never uses.
 */
export const COMMAND_LOADERS: ReadonlyArray<readonly [name: string, load: () => Promise<Command>]> = [
  ['stream', async () => (await import('./stream.js')).streamCommand],
  ['sync', async () => (await import('./sync.js')).syncCommand],
  ['hourly', async () => (await import('./hourly.js')).hourlyCommand],
  ['upload', async () => (await import('./upload.js')).uploadCommand],
  ['report', async () => (await import('./report.js')).reportCommand],
  ['notify', async () => (await import('./notify.js')).notifyCommand],
  ['watch', async () => (await import('./watch.js')).watchCommand],
  ['scheduler', async () => (await import('./scheduler.js')).schedulerCommand],
  ['status', async () => (await import('./status.js')).statusCommand],
  ['check', async () => (await import('./check.js')).checkCommand],
  ['verify', async () => (await import('./verify.js')).verifyCommand],
  ['download', async () => (await import('./download.js')).downloadCommand],
  ['hydrate', async () => (await import('./hydrate.js')).hydrateCommand],
  ['emulator', async () => (await import('./emulator.js')).emulatorCommand],
  ['demo', async () => (await import('./demo.js')).demoCommand],
];

/** The command called `name`, or undefined. */
export async function loadCommand(name: string): Promise<Command | undefined> {
  const entry = COMMAND_LOADERS.find(([candidate]) => candidate === name);
  return entry ? entry[1]() : undefined;
}

/** Every command (for the global --help). */
export function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMAND_LOADERS.map(([, load]) => load()));
}
