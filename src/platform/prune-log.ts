import type { Logger } from './logger.js';

/** Count and bytes pruned from one folder. */
export interface PruneTotals {
  count: number;
  bytes: number;
}

/** Logs one folder's prune, the same line for every folder a retention prunes (nothing when nothing went). */
export function logPrune(log: Logger, folder: string, { count, bytes }: PruneTotals): void {
  if (count > 0) log.info({ folder, count, bytes }, `retention pruned ${count} entries (${bytes} bytes) from ${folder}/`);
}
