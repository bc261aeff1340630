import { notImplemented } from '../command.js';

export const checkCommand = notImplemented('check', 'Validate settings and reach every configured peer');
