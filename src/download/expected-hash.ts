/** The sha256 a downloaded file must have, or why none can be trusted. */
export type ExpectedHash = { ok: true; sha256: string } | { ok: false; reason: string };

/**
 * A file is good only when OSF's listing and the day's SHA256SUMS name the same sha256 (`listed` is null for
 * the checksum file itself, which only OSF vouches for). Disagreement usually means an amendment is half
 * uploaded (the IDs file already has its new version, SHA256SUMS not yet), so callers list the day again.
 */
export function expectedHash(osfSha256: string | null, listed: string | null | undefined, sumsName: string): ExpectedHash {
  if (osfSha256 === null) return { ok: false, reason: 'OSF lists no sha256 for it' };
  const osf = osfSha256.toLowerCase();
  if (listed === null) return { ok: true, sha256: osf };
  if (listed === undefined) return { ok: false, reason: `not listed in ${sumsName}` };
  if (listed !== osf) return { ok: false, reason: `OSF lists sha256 ${osf} but ${sumsName} lists ${listed}` };
  return { ok: true, sha256: osf };
}
