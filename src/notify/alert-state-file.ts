import { join } from 'node:path';
import { z } from 'zod';
import { readStateFile, writeStateFile, type StateFileFormat, type StateFileRepair } from '../contracts/index.js';
import { emptyAlertState, type AlertState } from './alert-policy.js';

const alertStateSchema = z.object({
  format_version: z.literal(1),
  open: z.record(z.string(), z.object({ opened_at: z.string(), last_mail_at: z.string().nullable(), detail: z.string() })),
}) satisfies z.ZodType<AlertState>;

const ALERT_STATE_FORMAT: StateFileFormat<AlertState> = { name: 'alerts.json', version: 1, schema: alertStateSchema };

/** Path of `<state>/alerts.json`. */
export function alertStatePath(stateDir: string): string {
  return join(stateDir, 'alerts.json');
}

/**
 * Reads alerts.json; a missing file is the empty state. A corrupt file is set aside with `repair` (at worst one
 * alert is repeated), else an error naming it; a file of a newer format_version is always an error.
 */
export async function readAlertState(stateDir: string, repair?: StateFileRepair): Promise<AlertState> {
  return (await readStateFile(alertStatePath(stateDir), ALERT_STATE_FORMAT, repair)) ?? emptyAlertState();
}

/** Writes alerts.json atomically. */
export async function writeAlertState(stateDir: string, state: AlertState): Promise<void> {
  await writeStateFile(alertStatePath(stateDir), ALERT_STATE_FORMAT, state);
}
