import { join } from 'node:path';
import { readTextIfExists } from '../platform/read-text-if-exists.js';
import { writeJsonAtomic } from '../platform/atomic-write.js';
import { emptyAlertState, type AlertState } from './alert-policy.js';

/** Path of `<state>/alerts.json`. */
export function alertStatePath(stateDir: string): string {
  return join(stateDir, 'alerts.json');
}

/** Reads alerts.json; a missing file is the empty state, a file of another format version an error naming it. */
export async function readAlertState(stateDir: string): Promise<AlertState> {
  const path = alertStatePath(stateDir);
  const text = await readTextIfExists(path);
  if (text === null) return emptyAlertState();
  const state = JSON.parse(text) as Partial<AlertState>;
  if (state.format_version !== 1 || typeof state.open !== 'object' || state.open === null) {
    throw new Error(
      `Cannot read ${path}: expected format_version 1 with an "open" object: current format_version is ${JSON.stringify(state.format_version)}; delete the file to start afresh`,
    );
  }
  return state as AlertState;
}

/** Writes alerts.json atomically. */
export async function writeAlertState(stateDir: string, state: AlertState): Promise<void> {
  await writeJsonAtomic(alertStatePath(stateDir), state);
}
