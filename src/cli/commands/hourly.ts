import { notImplemented } from '../command.js';

export const hourlyCommand = notImplemented('hourly', 'Ingest the spool and publish every ready hour (server 1)');
