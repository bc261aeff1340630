import { notImplemented } from '../command.js';

export const notifyCommand = notImplemented('notify', 'Send a one-off notification (daemon-stopped, test, ...)');
