import { notImplemented } from '../command.js';

export const verifyCommand = notImplemented('verify', 'Verify vault files: xz -t and SHA256SUMS');
