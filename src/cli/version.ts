import { readFile } from 'node:fs/promises';

/** The package version, from the package.json two folders up: src/cli/ under tsx, dist/cli/ when built. */
export async function packageVersion(): Promise<string> {
  const file = new URL('../../package.json', import.meta.url);
  const manifest = JSON.parse(await readFile(file, 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error(`${file.pathname} has no "version" string`);
  return manifest.version;
}
