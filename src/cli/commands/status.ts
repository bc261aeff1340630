import { notImplemented } from '../command.js';

export const statusCommand = notImplemented('status', 'Show the health of this server');
