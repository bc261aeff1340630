import {
  appendIngestAlerts,
  clearPublishSpaceShortage,
  readPublishSpaceShortage,
  stateFileRepair,
  writePublishSpaceShortage,
} from '../../contracts/index.js';
import type { PublishDeps } from './publish-types.js';

/** A publication or amendment `hourly` left for a later run for lack of free space. */
export interface SpaceRefusal {
  hour: string;
  /** The folder short of space. */
  path: string;
  detail: string;
}

/**
 * Alerts a shortage of publishing space once per episode, given a run's refusals (each is logged where it
 * happens) and whether it published anything. With no episode open, the first refusal appends a
 * `publish-no-space` alert and opens one in `<state>/publish-space.json`; while it is open, refusals raise
 * nothing more; a run that publishes an hour and refuses none closes it, so the next shortage alerts again.
 */
export async function trackSpaceEpisode(deps: PublishDeps, refusals: readonly SpaceRefusal[], published: boolean): Promise<void> {
  const refusal = refusals[0] ?? null;
  const stateDir = deps.settings.paths.state;
  const nowMs = deps.clock.now();
  const episode = await readPublishSpaceShortage(stateDir, stateFileRepair(stateDir, nowMs, deps.log));
  if (refusal !== null) {
    if (episode !== null) return;
    const at = new Date(nowMs).toISOString();
    // The alert first: a crash before the record repeats the alert rather than losing it.
    await appendIngestAlerts(stateDir, [{ at, kind: 'publish-no-space', server: '', ...refusal }], nowMs);
    await writePublishSpaceShortage(stateDir, { format_version: 1, since: at, ...refusal });
    return;
  }
  if (episode === null || !published) return;
  await clearPublishSpaceShortage(stateDir);
  deps.log.info({ since: episode.since }, 'free space back: hourly publishes again');
}
