import { notImplemented } from '../command.js';

export const watchCommand = notImplemented('watch', 'Evaluate every alert condition once');
