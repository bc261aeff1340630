export { runSync, parseResendMinute, type SyncDeps, type SyncOptions, type SyncResult } from './run-sync.js';
export { TargetExistsError, type Transport, type RenameOptions } from './transport.js';
export { createLocalTransport } from './local-transport.js';
export { connectSftpTransport, DEFAULT_SFTP_TUNING, type SftpTransportOptions, type SftpTuning } from './sftp-transport.js';
export { openTransport } from './open-transport.js';
export { sentDir } from './sent-store.js';
export { HostKeyMismatchError, type HostKeyProblem } from './host-key-mismatch-error.js';
