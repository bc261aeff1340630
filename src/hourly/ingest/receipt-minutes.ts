import { z } from 'zod';
import { HOUR_MS, MINUTE_MS, readStateFile, writeStateFile, type StateFileFormat } from '../../contracts/index.js';
import { hourKey } from '../../contracts/hour-label.js';
import { minutesPath, type Server } from '../../contracts/staging-layout.js';

const minuteList = z.array(z.number().int().min(0).max(59));
const receiptMinutesSchema = z.object({ format_version: z.literal(1), hour: z.string(), server1: minuteList, server2: minuteList });

/**
 * `minutes/<hour>.json`: the minutes of one UTC hour (0-59) in which each server received data, i.e. had a spool
 * file. A minute without a file is a minute that server missed (DESIGN 3.1): the report's gaps.
 */
export type ReceiptMinutes = z.output<typeof receiptMinutesSchema>;

const RECEIPT_MINUTES_FORMAT: StateFileFormat<ReceiptMinutes> = {
  name: 'receipt minutes',
  version: 1,
  schema: receiptMinutesSchema,
  // Read as absent, every minute of the hour would be reported missing: better a clear stop.
  whenCorrupt: 'move it away: the hour is then reported with every minute missing until it is republished',
};

function readMinutes(staging: string, key: string): Promise<ReceiptMinutes | null> {
  return readStateFile(minutesPath(staging, key), RECEIPT_MINUTES_FORMAT);
}

/** Adds the receipt minutes of ingested spool files, one rewrite per hour touched. */
export async function recordReceiptMinutes(
  staging: string,
  files: ReadonlyArray<{ server: Server; minuteStartMs: number }>,
): Promise<void> {
  const byHour = new Map<number, Array<{ server: Server; minute: number }>>();
  for (const file of files) {
    const hourMs = Math.floor(file.minuteStartMs / HOUR_MS) * HOUR_MS;
    const list = byHour.get(hourMs) ?? [];
    list.push({ server: file.server, minute: (file.minuteStartMs - hourMs) / MINUTE_MS });
    byHour.set(hourMs, list);
  }
  for (const [hourMs, added] of byHour) {
    const key = hourKey(hourMs);
    const record = (await readMinutes(staging, key)) ?? { format_version: 1, hour: key, server1: [], server2: [] };
    let changed = false;
    for (const { server, minute } of added) {
      if (record[server].includes(minute)) continue;
      record[server].push(minute);
      changed = true;
    }
    if (!changed) continue;
    record.server1.sort((a, b) => a - b);
    record.server2.sort((a, b) => a - b);
    await writeStateFile(minutesPath(staging, key), RECEIPT_MINUTES_FORMAT, record);
  }
}

/** Start (ms) of every minute of the UTC hour at `hourMs` in which `server` had no spool file. */
export async function missingMinutes(staging: string, hourMs: number, server: Server): Promise<number[]> {
  const record = await readMinutes(staging, hourKey(hourMs));
  const seen = new Set(record?.[server] ?? []);
  const missing: number[] = [];
  for (let minute = 0; minute < 60; minute++) if (!seen.has(minute)) missing.push(hourMs + minute * MINUTE_MS);
  return missing;
}
