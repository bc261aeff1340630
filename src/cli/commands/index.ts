import type { Command } from '../command.js';
import { streamCommand } from './stream.js';
import { syncCommand } from './sync.js';
import { hourlyCommand } from './hourly.js';
import { uploadCommand } from './upload.js';
import { reportCommand } from './report.js';
import { notifyCommand } from './notify.js';
import { watchCommand } from './watch.js';
import { schedulerCommand } from './scheduler.js';
import { statusCommand } from './status.js';
import { checkCommand } from './check.js';
import { verifyCommand } from './verify.js';
import { emulatorCommand } from './emulator.js';
import { demoCommand } from './demo.js';

/** Every command, in --help order (DESIGN 10). */
export const COMMANDS: readonly Command[] = [
  streamCommand,
  syncCommand,
  hourlyCommand,
  uploadCommand,
  reportCommand,
  notifyCommand,
  watchCommand,
  schedulerCommand,
  statusCommand,
  checkCommand,
  verifyCommand,
  emulatorCommand,
  demoCommand,
];
