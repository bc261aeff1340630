import { join } from 'node:path';
import type { Settings } from '../config/index.js';
import { downloadHours, formatSummary, isOnDisk, type DownloadSummary } from '../download/index.js';
import { hydrateIds, readIdFile, summaryLines, type HydrateSummary } from '../hydrate/index.js';
import { writeFileAtomic } from '../platform/atomic-write.js';
import { systemClock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';

/** Where the fake OSF listens and how to reach the project the demo published to. */
export interface DemoOsf {
  url: string;
  projectId: string;
  token: string;
}

/**
 * The researcher's half of the demo (issue 11): download the published hours from the fake OSF, as
 * `sampled-stream download` does, and hydrate the first `idCount` of their IDs against the emulator.
 */
export async function downloadAndHydrate(
  settings: Settings,
  osf: DemoOsf,
  hours: readonly string[],
  outDir: string,
  idCount: number,
  log: Logger,
): Promise<{ download: DownloadSummary; hydrate: HydrateSummary; lines: string[] }> {
  const hourStarts = hours.map((hour) => Date.parse(`${hour}:00:00Z`));
  const downloadDir = join(outDir, 'download');
  const download = await downloadHours(
    {
      fromMs: Math.min(...hourStarts),
      toMs: Math.max(...hourStarts),
      outDir: downloadDir,
      baseUrl: osf.url,
      projectId: osf.projectId,
      token: osf.token,
      timeZone: settings.hourly.output_timezone,
    },
    { clock: systemClock },
  );
  const idsPath = join(outDir, 'hydrate', `first-${idCount}-IDs.txt`);
  const ids = await firstIds(downloadedIdFiles(download), idCount);
  await writeFileAtomic(idsPath, ids.map((id) => `${id}\n`).join(''));
  const hydrate = await hydrateIds(
    {
      idFiles: [idsPath],
      outPath: join(outDir, 'hydrate', 'tweets.jsonl'),
      csvPath: join(outDir, 'hydrate', 'tweets.csv.xz'),
      baseUrl: settings.x_api.base_url,
      tokenFile: settings.x_api.bearer_token_file,
      fields: settings.x_api,
    },
    { clock: systemClock, log },
  );
  return { download, hydrate, lines: [...formatSummary(download).trimEnd().split('\n'), ...summaryLines(hydrate)] };
}

/** The IDs files the download left verified on disk, in hour order. */
function downloadedIdFiles(summary: DownloadSummary): string[] {
  return summary.files
    .flatMap(({ hourKey, status, day, name }) => (hourKey !== null && isOnDisk(status) ? [{ hourKey, path: join(summary.outDir, day, name) }] : []))
    .sort((a, b) => a.hourKey.localeCompare(b.hourKey))
    .map((file) => file.path);
}

async function firstIds(files: readonly string[], count: number): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    for await (const id of readIdFile(file)) {
      ids.push(id);
      if (ids.length === count) return ids;
    }
  }
  return ids;
}
