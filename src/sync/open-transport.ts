import type { Settings } from '../config/index.js';
import type { Logger } from '../platform/logger.js';
import { createLocalTransport } from './local-transport.js';
import { connectSftpTransport } from './sftp-transport.js';
import type { Transport } from './transport.js';

function required<T>(value: T | null | undefined, key: string): T {
  if (value === undefined || value === null) throw new Error(`Cannot sync: '${key}' is missing: add it to the settings file`);
  return value;
}

/** The transport `sync.transport` names, connected (DESIGN 5). */
export async function openTransport(settings: Settings, log: Logger): Promise<Transport> {
  const sync = settings.sync;
  if (sync.transport === 'local') return createLocalTransport(required(sync.local_target, 'sync.local_target'));
  return connectSftpTransport({
    host: required(sync.host, 'sync.host'),
    port: sync.port,
    username: required(sync.username, 'sync.username'),
    privateKeyFile: required(sync.private_key_file, 'sync.private_key_file'),
    knownHostsFile: required(sync.known_hosts_file, 'sync.known_hosts_file'),
    remoteRoot: required(sync.remote_spool, 'sync.remote_spool'),
    log,
  });
}
