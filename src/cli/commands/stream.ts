import { notImplemented } from '../command.js';

export const streamCommand = notImplemented('stream', 'Run the stream daemon: record the sampled stream into per-minute spool files');
