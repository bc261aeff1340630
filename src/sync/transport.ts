/**
 * What sync needs from the place files go (DESIGN 5): a folder on server 1 over SFTP, or a local folder.
 * Paths are relative to the target root and use '/'. Small on purpose, so the conformance suite in
 * test/sync-transport.test.ts runs unchanged against every implementation.
 */
export interface Transport {
  /** Where files go, for logs and error messages (never a secret), e.g. `sftp://user@host:22/srv/spool`. */
  readonly target: string;
  /** Creates a folder and its missing parents. */
  mkdirp(dir: string): Promise<void>;
  /** Copies a local file to `path` (a temporary dot name) with pipelined writes, flushed before it returns. */
  upload(localPath: string, path: string): Promise<void>;
  /** Size in bytes of a file, or null when there is none. */
  size(path: string): Promise<number | null>;
  /** Renames a file; without `overwrite` an existing `to` is left alone and TargetExistsError is thrown. */
  rename(from: string, to: string, options: RenameOptions): Promise<void>;
  /** Writes a small file in one go (callers write a temporary name and rename it). */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Reads a small file whole; null when there is none. */
  readFile(path: string): Promise<Buffer | null>;
  /** Names in a folder (files and folders); empty when the folder does not exist. */
  list(dir: string): Promise<string[]>;
  /**
   * Free bytes on the filesystem holding `dir` that the account may use; null when the server cannot say (an
   * SFTP server without statvfs@openssh.com). Only to explain a failed write: SFTP reports a full disk as "Failure".
   */
  freeBytes(dir: string): Promise<number | null>;
  /** Removes a file; no error when it is already gone. */
  remove(path: string): Promise<void>;
  /** Ends the connection. */
  close(): Promise<void>;
}

/** How Transport.rename() treats an existing destination. */
export interface RenameOptions {
  /** Replace an existing file (only `sync --resend` and the state file do). */
  overwrite: boolean;
}

/** A rename without overwrite found its destination taken; push.ts decides whether that is our own copy. */
export class TargetExistsError extends Error {
  constructor(
    readonly target: string,
    readonly path: string,
  ) {
    super(`Cannot rename onto ${target}/${path}: the file exists and is never overwritten`);
    this.name = 'TargetExistsError';
  }
}
