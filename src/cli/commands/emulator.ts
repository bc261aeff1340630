import { notImplemented } from '../command.js';

export const emulatorCommand = notImplemented('emulator', 'Run the fake X API (or --osf: the fake OSF)');
