/** The remote path of a vault file on OSF, `YYYY/MM/DD/<file>` for label date `YYYY-MM-DD` (DESIGN 7). */
export function osfRemotePath(day: string, fileName: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`Cannot build an OSF path: day must be YYYY-MM-DD: current value is "${day}"`);
  return `${day.replaceAll('-', '/')}/${fileName}`;
}

/** Splits a remote path into folder names and file name; throws RangeError for empty, '.' or '..' parts. */
export function splitRemotePath(remotePath: string): { folders: string[]; name: string } {
  const parts = remotePath.split('/');
  if (parts.length < 2 || parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new RangeError(`Cannot upload to OSF path "${remotePath}": it must look like "YYYY/MM/DD/<file name>"`);
  }
  return { folders: parts.slice(0, -1), name: parts.at(-1)! };
}
