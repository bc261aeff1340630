import { readdir, rm, stat, open, rename, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { isUtf8 } from 'node:buffer';
import type { Logger } from '../platform/logger.js';
import { fsyncDir } from '../platform/atomic-write.js';
import { PART_SUFFIX, minutePath, parseSpoolName } from '../contracts/spool-path.js';
import type { SegmentRegistry } from './segment-registry.js';
import { isNotFound } from '../platform/fs-errors.js';

const BLOCK_BYTES = 65_536;
const LF = 0x0a;

/** Where recoverParts() looks and how it records segments. */
export interface PartRecoveryOptions {
  spoolDir: string;
  server: string;
  segments: SegmentRegistry;
  log: Logger;
}

/** What recoverParts() did, for the log and the `truncated` counter. */
export interface PartRecoveryResult {
  /** `.part` files closed under a `.jsonl` name. */
  recovered: number;
  /** Empty leftovers removed. */
  removed: number;
  /** Truncated or unreadable last lines dropped. */
  droppedLines: number;
}

/** Start of the line that ends just before `end`: one past the last `\n` in [0, end), or 0. */
async function lineStartBefore(handle: FileHandle, end: number): Promise<number> {
  const block = Buffer.allocUnsafe(BLOCK_BYTES);
  for (let blockEnd = end; blockEnd > 0; ) {
    const blockStart = Math.max(0, blockEnd - BLOCK_BYTES);
    const { bytesRead } = await handle.read(block, 0, blockEnd - blockStart, blockStart);
    const lf = block.subarray(0, bytesRead).lastIndexOf(LF);
    if (lf !== -1) return blockStart + lf + 1;
    blockEnd = blockStart;
  }
  return 0;
}

function isCompleteLine(bytes: Buffer): boolean {
  if (!isUtf8(bytes)) return false;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/**
 * Length of the file's good prefix: everything up to the last `\n`, minus trailing lines that are not a
 * JSON object (a crash can cut a write anywhere). Reads only the tail.
 */
async function goodLength(handle: FileHandle, size: number): Promise<{ length: number; dropped: number }> {
  let end = await lineStartBefore(handle, size);
  let dropped = end < size ? 1 : 0;
  while (end > 0) {
    const start = await lineStartBefore(handle, end - 1);
    const line = Buffer.allocUnsafe(end - 1 - start);
    await handle.read(line, 0, line.length, start);
    if (isCompleteLine(line)) break;
    dropped++;
    end = start;
  }
  return { length: end, dropped };
}

async function findParts(serverDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(serverDir, { recursive: true });
  } catch (err) {
    if (isNotFound(err)) return [];
    throw err;
  }
  return names
    .filter((name) => name.endsWith(PART_SUFFIX) && parseSpoolName(basename(name).slice(0, -PART_SUFFIX.length)))
    .sort()
    .map((name) => join(serverDir, name));
}

/**
 * Closes the `.part` files a crash left in this server's spool, before anything new is written (DESIGN 3.1):
 * a truncated last line is dropped and counted, the file is renamed to its `.jsonl` name (the next free
 * segment if that name is taken), and an empty leftover is removed.
 */
export async function recoverParts(options: PartRecoveryOptions): Promise<PartRecoveryResult> {
  const { spoolDir, server, segments, log } = options;
  const result: PartRecoveryResult = { recovered: 0, removed: 0, droppedLines: 0 };
  for (const partPath of await findParts(join(spoolDir, server))) {
    const { minuteStartMs, segment } = parseSpoolName(basename(partPath).slice(0, -PART_SUFFIX.length))!;
    const handle = await open(partPath, 'r+');
    let length: number;
    try {
      const good = await goodLength(handle, (await handle.stat()).size);
      length = good.length;
      result.droppedLines += good.dropped;
      await handle.truncate(length);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (length === 0) {
      await rm(partPath);
      result.removed++;
      continue;
    }
    let target = partPath.slice(0, -PART_SUFFIX.length);
    if (await exists(target)) target = minutePath(spoolDir, server, minuteStartMs, segments.claim(minuteStartMs));
    else segments.note(minuteStartMs, segment);
    await rename(partPath, target);
    await fsyncDir(dirname(target));
    result.recovered++;
    log.info({ file: relative(spoolDir, target), bytes: length }, 'recovered open minute');
  }
  if (result.recovered + result.removed > 0) log.warn({ ...result }, 'recovered files left by a crash');
  return result;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
