import { notImplemented } from '../command.js';

export const demoCommand = notImplemented('demo', 'Run the whole pipeline on this machine against the emulator');
