import { notImplemented } from '../command.js';

export const schedulerCommand = notImplemented('scheduler', "Run this server's periodic jobs (node-cron)");
