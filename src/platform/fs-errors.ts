/** The errno code of a Node fs error (`ENOENT`, `ENOSPC`, ...), or undefined for any other value. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when `err` says the file or folder does not exist. */
export function isNotFound(err: unknown): boolean {
  return errorCode(err) === 'ENOENT';
}
