/** A parsed `<day>_SHA256SUMS` (DESIGN 3.3, written by `hourly`, read by `verify`): hash by file name, and the 1-based numbers of lines that are not `<hex>  <name>`. */
export interface Sha256Sums {
  hashes: Map<string, string>;
  badLines: number[];
}

const LINE = /^([0-9a-fA-F]{64}) [ *](.+)$/;

/** Parses sha256sum output (`<hex>  <name>`, or `<hex> *<name>` in binary mode), DESIGN 3.3. */
export function parseSha256Sums(text: string): Sha256Sums {
  const hashes = new Map<string, string>();
  const badLines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line === '') return;
    const match = LINE.exec(line);
    if (match) hashes.set(match[2]!, match[1]!.toLowerCase());
    else badLines.push(index + 1);
  });
  return { hashes, badLines };
}

/** Formats sha256sum-compatible lines, sorted by name, each ending in a newline. */
export function formatSha256Sums(hashes: ReadonlyMap<string, string>): string {
  return [...hashes]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, hash]) => `${hash}  ${name}\n`)
    .join('');
}

/**
 * `text` without the lines that list one of `names` (a file pruned from the day folder); every other line, a bad
 * one included, stays byte for byte and in its place, so the order is kept and `verify` still sees a bad line.
 */
export function withoutSha256Sums(text: string, names: ReadonlySet<string>): string {
  return text
    .split(/(?<=\n)/)
    .filter((line) => {
      const name = LINE.exec(line.replace(/\n$/, ''))?.[2];
      return name === undefined || !names.has(name);
    })
    .join('');
}
