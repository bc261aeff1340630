import { notImplemented } from '../command.js';

export const reportCommand = notImplemented('report', 'Send (or write) the daily report email');
