import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** OpenSSH known_hosts, the parts sync needs to pin server 1's host key (DESIGN 5). */

export interface KnownHostEntry {
  /** `@revoked` lines refuse a key; `@cert-authority` lines are kept but never pin a host key. */
  marker: 'revoked' | 'cert-authority' | null;
  /** The host field as written: a comma list of patterns, or one hashed `|1|salt|hash` entry. */
  hosts: string;
  keyType: string;
  /** The key blob (the base64 field decoded), byte for byte what the server offers. */
  key: Buffer;
  lineNumber: number;
}

/** Parses known_hosts text; comments, blank and malformed lines are skipped as ssh does. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === undefined || fields[0] === '' || fields[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields[0] === '@revoked' ? 'revoked' : 'cert-authority';
      fields.shift();
    }
    const [hosts, keyType, base64] = fields;
    if (hosts === undefined || keyType === undefined || base64 === undefined) return;
    const key = Buffer.from(base64, 'base64');
    if (key.length < 4 || keyTypeOf(key) !== keyType) return;
    entries.push({ marker, hosts, keyType, key, lineNumber: index + 1 });
  });
  return entries;
}

/** The name ssh looks up: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function globMatches(pattern: string, name: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}

function hashedMatches(field: string, name: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Whether a host field (patterns with `*`, `?` and `!` negation, or a hashed entry) names `host:port`. */
export function hostFieldMatches(hosts: string, host: string, port: number): boolean {
  const name = knownHostName(host, port);
  if (hosts.startsWith('|1|')) return hashedMatches(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(',')) {
    if (pattern.startsWith('!')) {
      if (globMatches(pattern.slice(1), name)) return false;
    } else if (globMatches(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

/** The keys pinned for and revoked against one server. */
export interface PinnedKeys {
  pinned: KnownHostEntry[];
  revoked: KnownHostEntry[];
}

/** Selects the entries that apply to `host:port` (revocations apply to every host). */
export function pinnedKeysFor(entries: readonly KnownHostEntry[], host: string, port: number): PinnedKeys {
  return {
    pinned: entries.filter((e) => e.marker === null && hostFieldMatches(e.hosts, host, port)),
    revoked: entries.filter((e) => e.marker === 'revoked'),
  };
}

/** `trusted` is the only verdict that lets a connection go on. */
export type HostKeyVerdict = 'trusted' | 'unknown' | 'changed' | 'revoked';

/** Decides on an offered host key blob the way ssh's StrictHostKeyChecking=yes does. */
export function verifyHostKey(keys: PinnedKeys, offered: Buffer): HostKeyVerdict {
  if (keys.revoked.some((e) => e.key.equals(offered))) return 'revoked';
  if (keys.pinned.some((e) => e.key.equals(offered))) return 'trusted';
  return keys.pinned.length === 0 ? 'unknown' : 'changed';
}

/** The key type named inside a key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, ...). */
export function keyTypeOf(blob: Buffer): string {
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** `SHA256:<base64>` as `ssh-keygen -l` prints it. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

const SIGNATURE_ALGORITHMS: Record<string, readonly string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * Host key algorithms to offer, limited to the pinned key types (as ssh does), so a server that also has a
 * key of another type still proves the key we pinned. Empty when nothing usable is pinned.
 */
export function hostKeyAlgorithmsFor(keys: PinnedKeys): string[] {
  const types = new Set(keys.pinned.map((e) => e.keyType));
  return Object.entries(SIGNATURE_ALGORITHMS)
    .filter(([type]) => types.has(type))
    .flatMap(([, algorithms]) => algorithms);
}
