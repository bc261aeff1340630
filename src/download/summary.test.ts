import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFileLine, formatSummary, type DownloadSummary, type FileResult } from './summary.js';

function ids(hour: string, status: FileResult['status'], extra: Partial<FileResult> = {}): FileResult {
  return {
    day: '2026-11-22',
    name: `2026-11-22_${hour}_IDs.txt.xz`,
    hourKey: `2026-11-22T${hour}`,
    label: `2026-11-22_${hour}`,
    status,
    version: 1,
    bytes: 0,
    reason: null,
    ...extra,
  };
}

const day = (name: string, status: FileResult['status'], reason: string | null = null): FileResult => ({
  day: '2026-11-22',
  name,
  hourKey: null,
  label: null,
  status,
  version: status === 'missing' ? null : 3,
  bytes: 100,
  reason,
});

function summary(files: FileResult[]): DownloadSummary {
  return { fromHour: '2026-11-22T03', toHour: '2026-11-22T06', timeZone: 'UTC', outDir: '/data', files, bytesDownloaded: 2_500_000, elapsedMs: 3_200, zoneProblem: null, ok: false };
}

describe('formatSummary()', () => {
  it('counts hours by outcome and lists changed, missing and failed files', () => {
    const text = formatSummary(
      summary([
        day('2026-11-22_SHA256SUMS', 'downloaded'),
        day('2026-11-22_report.txt', 'unchanged'),
        ids('03', 'downloaded', { bytes: 1_000_000 }),
        ids('04', 'replaced', { version: 2 }),
        ids('05', 'missing', { version: null, reason: 'not in OSF folder /2026/11/22/ (not published yet?)' }),
        ids('06', 'failed', { version: null, reason: 'sha256 mismatch (after a retry)' }),
      ]),
    );
    assert.equal(
      text,
      [
        'download: 4 hours 2026-11-22T03..2026-11-22T06 UTC (labels in UTC) into /data: 1 downloaded, 0 unchanged, 1 replaced, 1 missing, 1 failed; 2.5 MB in 0:04',
        'changed on OSF, local copy replaced: 2026-11-22_04 (2026-11-22T04 UTC), now OSF version 2',
        'not on OSF: 2026-11-22_05 (2026-11-22T05 UTC): not in OSF folder /2026/11/22/ (not published yet?)',
        'FAILED 2026-11-22/2026-11-22_06_IDs.txt.xz: sha256 mismatch (after a retry)',
        'check again any time: (cd /data/2026-11-22 && sha256sum -c --ignore-missing 2026-11-22_SHA256SUMS)',
        '',
      ].join('\n'),
    );
  });

  it('reports a missing day file as a failure', () => {
    const text = formatSummary(summary([day('2026-11-22_SHA256SUMS', 'missing', 'not on OSF'), ids('03', 'failed', { reason: 'cannot be checked' })]));
    assert.match(text, /FAILED 2026-11-22\/2026-11-22_SHA256SUMS: not on OSF/);
    assert.doesNotMatch(text, /check again/);
  });
});

describe('formatSummary() with a label-zone problem', () => {
  it('says the hours are wrong', () => {
    const text = formatSummary({ ...summary([ids('03', 'downloaded')]), zoneProblem: 'x holds tweets of 02' });
    assert.match(text, /\nWRONG HOURS: x holds tweets of 02\n/);
  });
});

describe('formatSummary() over several days', () => {
  it('shows the check command once', () => {
    const sums = (date: string): FileResult => ({ ...day(`${date}_SHA256SUMS`, 'downloaded'), day: date });
    const text = formatSummary(summary([sums('2026-11-22'), sums('2026-11-23'), sums('2026-11-24')]));
    assert.match(
      text,
      /\ncheck again any time: \(cd \/data\/2026-11-22 && sha256sum -c --ignore-missing 2026-11-22_SHA256SUMS\) \(likewise in the other 2 day folders\)\n$/,
    );
  });
});

describe('formatFileLine()', () => {
  it('names the file, outcome, version, size and reason', () => {
    assert.equal(formatFileLine(ids('03', 'downloaded', { bytes: 1500 })), '2026-11-22/2026-11-22_03_IDs.txt.xz: downloaded (OSF version 1), 1.5 kB');
    assert.equal(formatFileLine(ids('05', 'missing', { version: null, reason: 'not on OSF' })), '2026-11-22/2026-11-22_05_IDs.txt.xz: missing: not on OSF');
  });
});
