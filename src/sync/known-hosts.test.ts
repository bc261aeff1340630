import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fingerprintOf,
  hostFieldMatches,
  hostKeyAlgorithmsFor,
  keyTypeOf,
  knownHostName,
  parseKnownHosts,
  pinnedKeysFor,
  verifyHostKey,
} from './known-hosts.js';

// Real keys and `ssh-keygen -H` output, so hashing and fingerprints are checked against OpenSSH itself.
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDuMRp/tByAucD6vpGKIc5cqkXXQbLZf6FqTOgBkg4Id';
const ED25519_FP = 'SHA256:fNIs0YiSalUQjRpExRjwQZZLeb6Fv6tjGacbkee2NeU';
const ECDSA =
  'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBHOcDpih9dBudldZeRzq24j1vh+gAw9UbP2GoUn/nSiwgLzvs1reWNLH/xuDOY/GV6zcSxaRgEX61vQNEpHA00g=';
const ECDSA_FP = 'SHA256:CenPibgrMQrJrZGRQ13hSj1eqG6bbXLt52xvpb+qBjM';
const HASHED_PORT_FORM = '|1|Jg3resbEECjcFVrUXroqToJbtjw=|Oznu/73iaMjPUsPgXMngEpH3UC0='; // [127.0.0.1]:42222
const HASHED_PLAIN = '|1|Zlb64VTHHkLPZxigJkil0KYoTiU=|OvZzWZvEfyj3JtNZnXmgvjMki5U='; // example.org

const blob = (line: string) => Buffer.from(line.split(' ')[1]!, 'base64');

describe('known_hosts', () => {
  it('knownHostName() uses the bare host on port 22 and [host]:port otherwise', () => {
    assert.equal(knownHostName('server1.example.org', 22), 'server1.example.org');
    assert.equal(knownHostName('10.0.0.5', 2222), '[10.0.0.5]:2222');
  });

  const cases: Array<{ name: string; hosts: string; host: string; port: number; expected: boolean }> = [
    { name: 'plain host on port 22', hosts: 'example.org', host: 'example.org', port: 22, expected: true },
    { name: 'plain host does not cover another port', hosts: 'example.org', host: 'example.org', port: 2222, expected: false },
    { name: '[host]:port form', hosts: '[127.0.0.1]:42222', host: '127.0.0.1', port: 42222, expected: true },
    { name: '[host]:port form, other port', hosts: '[127.0.0.1]:42222', host: '127.0.0.1', port: 42223, expected: false },
    { name: 'comma list, second entry', hosts: 'server1,10.0.0.5', host: '10.0.0.5', port: 22, expected: true },
    { name: 'comma list, no entry', hosts: 'server1,10.0.0.5', host: '10.0.0.6', port: 22, expected: false },
    { name: 'case-insensitive names', hosts: 'Example.ORG', host: 'example.org', port: 22, expected: true },
    { name: 'wildcard', hosts: '*.example.org', host: 'server1.example.org', port: 22, expected: true },
    { name: 'dots are literal', hosts: 'server1.example.org', host: 'server1xexample.org', port: 22, expected: false },
    { name: 'negation wins', hosts: '*.example.org,!bad.example.org', host: 'bad.example.org', port: 22, expected: false },
    { name: 'hashed [host]:port (ssh-keygen -H)', hosts: HASHED_PORT_FORM, host: '127.0.0.1', port: 42222, expected: true },
    { name: 'hashed, other port', hosts: HASHED_PORT_FORM, host: '127.0.0.1', port: 22, expected: false },
    { name: 'hashed plain host', hosts: HASHED_PLAIN, host: 'example.org', port: 22, expected: true },
    { name: 'hashed, other host', hosts: HASHED_PLAIN, host: 'example.com', port: 22, expected: false },
    { name: 'malformed hashed entry', hosts: '|1|onlysalt', host: 'example.org', port: 22, expected: false },
  ];
  for (const c of cases) {
    it(`hostFieldMatches(): ${c.name}`, () => {
      assert.equal(hostFieldMatches(c.hosts, c.host, c.port), c.expected);
    });
  }

  it('parseKnownHosts() reads markers, skips comments, blank and malformed lines', () => {
    const entries = parseKnownHosts(
      [
        '# comment',
        '',
        `${HASHED_PORT_FORM} ${ED25519}`,
        `@revoked * ${ECDSA}`,
        `@cert-authority *.example.org ${ED25519}`,
        'example.org ssh-ed25519',
        `example.org ssh-rsa ${ED25519.split(' ')[1]}`,
        `  example.org ${ECDSA} comment words  `,
      ].join('\n'),
    );
    assert.deepEqual(
      entries.map((e) => [e.lineNumber, e.marker, e.hosts, e.keyType]),
      [
        [3, null, HASHED_PORT_FORM, 'ssh-ed25519'],
        [4, 'revoked', '*', 'ecdsa-sha2-nistp256'],
        [5, 'cert-authority', '*.example.org', 'ssh-ed25519'],
        [8, null, 'example.org', 'ecdsa-sha2-nistp256'],
      ],
    );
  });

  it('fingerprintOf() and keyTypeOf() agree with ssh-keygen -l', () => {
    assert.equal(fingerprintOf(blob(ED25519)), ED25519_FP);
    assert.equal(fingerprintOf(blob(ECDSA)), ECDSA_FP);
    assert.equal(keyTypeOf(blob(ECDSA)), 'ecdsa-sha2-nistp256');
  });

  describe('verifyHostKey()', () => {
    const entries = parseKnownHosts(`${HASHED_PORT_FORM} ${ED25519}\nexample.org ${ECDSA}\n`);
    const verdicts: Array<[string, string, number, string, string]> = [
      ['pinned key', '127.0.0.1', 42222, ED25519, 'trusted'],
      ['other key for a pinned host', '127.0.0.1', 42222, ECDSA, 'changed'],
      ['host with no entry', '127.0.0.2', 42222, ED25519, 'unknown'],
      ['plain entry', 'example.org', 22, ECDSA, 'trusted'],
    ];
    for (const [name, host, port, offered, expected] of verdicts) {
      it(`says '${expected}' for a ${name}`, () => {
        assert.equal(verifyHostKey(pinnedKeysFor(entries, host, port), blob(offered)), expected);
      });
    }
    it("says 'revoked' for a key marked @revoked, even when also pinned", () => {
      const keys = pinnedKeysFor(parseKnownHosts(`example.org ${ECDSA}\n@revoked * ${ECDSA}\n`), 'example.org', 22);
      assert.equal(verifyHostKey(keys, blob(ECDSA)), 'revoked');
    });
  });

  it('hostKeyAlgorithmsFor() offers only the pinned key types, RSA with its SHA-2 signatures', () => {
    const rsaLine = 'example.org ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC7';
    const keys = pinnedKeysFor(parseKnownHosts(`example.org ${ECDSA}\n${rsaLine}\n`), 'example.org', 22);
    assert.deepEqual(hostKeyAlgorithmsFor(keys), ['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    assert.deepEqual(hostKeyAlgorithmsFor(pinnedKeysFor([], 'example.org', 22)), []);
  });
});
