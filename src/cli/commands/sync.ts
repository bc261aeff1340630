import { notImplemented } from '../command.js';

export const syncCommand = notImplemented('sync', "Push server 2's closed spool files to server 1");
