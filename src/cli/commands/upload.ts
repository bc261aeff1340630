import { notImplemented } from '../command.js';

export const uploadCommand = notImplemented('upload', 'Drain the OSF upload outbox');
