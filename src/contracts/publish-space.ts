import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readStateFile, writeStateFile, type StateFileFormat, type StateFileRepair } from './state-file.js';

const publishSpaceShortageSchema = z.object({
  format_version: z.literal(1),
  /** When `hourly` first left an hour unpublished or unamended in this episode. */
  since: z.string(),
  /** The hour it first left. */
  hour: z.string(),
  /** The folder short of space. */
  path: z.string(),
  /** That first refusal in words: the folder's key, free and needed MB. */
  detail: z.string(),
});

/**
 * `<state>/publish-space.json`, there from `hourly`'s first refusal to publish for lack of free space until it
 * publishes an hour again: the one shortage episode `hourly` alerts once and `watch` keeps open as `disk-low`.
 */
export type PublishSpaceShortage = z.output<typeof publishSpaceShortageSchema>;

const PUBLISH_SPACE_FILE = 'publish-space.json';

const PUBLISH_SPACE_FORMAT: StateFileFormat<PublishSpaceShortage> = {
  name: PUBLISH_SPACE_FILE,
  version: 1,
  schema: publishSpaceShortageSchema,
};

function publishSpacePath(stateDir: string): string {
  return join(stateDir, PUBLISH_SPACE_FILE);
}

/** The current shortage episode, null when there is none; a corrupt file is set aside with `repair`, else an error. */
export async function readPublishSpaceShortage(stateDir: string, repair?: StateFileRepair): Promise<PublishSpaceShortage | null> {
  return readStateFile(publishSpacePath(stateDir), PUBLISH_SPACE_FORMAT, repair);
}

/** Records the start of a shortage episode. */
export async function writePublishSpaceShortage(stateDir: string, shortage: PublishSpaceShortage): Promise<void> {
  await writeStateFile(publishSpacePath(stateDir), PUBLISH_SPACE_FORMAT, shortage);
}

/** Ends the shortage episode. */
export async function clearPublishSpaceShortage(stateDir: string): Promise<void> {
  await rm(publishSpacePath(stateDir), { force: true });
}
