import { fingerprintOf, keyTypeOf, knownHostName, type HostKeyVerdict, type KnownHostEntry } from './known-hosts.js';

/** What was offered and what is pinned, for the message and for callers (e.g. `check`). */
export interface HostKeyProblem {
  host: string;
  port: number;
  knownHostsFile: string;
  verdict: Exclude<HostKeyVerdict, 'trusted'>;
  offered: Buffer;
  pinned: readonly KnownHostEntry[];
}

function describeProblem(p: HostKeyProblem, offered: string): string {
  const where = `'sync.known_hosts_file' (${p.knownHostsFile})`;
  if (p.verdict === 'revoked') return `it offered ${offered}, which ${where} marks @revoked`;
  if (p.verdict === 'unknown') return `it offered ${offered}, and ${where} pins no key for this server`;
  const pinned = p.pinned.map((e) => `${e.keyType} ${fingerprintOf(e.key)} (line ${e.lineNumber})`).join(', ');
  return `it offered ${offered}, but ${where} pins ${pinned}`;
}

/**
 * Server 1's SSH host key is not the pinned one (DESIGN 5, STYLE 5): a hard error that shows the offered
 * fingerprint and how to pin a key after checking it out of band.
 */
export class HostKeyMismatchError extends Error {
  readonly offeredFingerprint: string;

  constructor(
    readonly problem: HostKeyProblem,
    options?: ErrorOptions,
  ) {
    const offeredFingerprint = fingerprintOf(problem.offered);
    const offered = `host key ${keyTypeOf(problem.offered)} ${offeredFingerprint}`;
    const { host, port, knownHostsFile } = problem;
    const remove = problem.verdict === 'unknown' ? '' : `remove the old entry (ssh-keygen -R '${knownHostName(host, port)}' -f ${knownHostsFile}), then `;
    super(
      `Cannot trust SFTP server ${host}:${port}: ${describeProblem(problem, offered)}: ` +
        `compare ${offeredFingerprint} with 'ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub' run on server 1 ` +
        `(out of band, not over this connection); if it matches, ${remove}` +
        `pin it with 'ssh-keyscan -p ${port} ${host} >> ${knownHostsFile}'`,
      options,
    );
    this.name = 'HostKeyMismatchError';
    this.offeredFingerprint = offeredFingerprint;
  }
}
