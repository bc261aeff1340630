/** One file to publish on OSF: the vault file and its remote path `YYYY/MM/DD/<file name>` (DESIGN 7). */
export interface UploadRequest {
  localPath: string;
  remotePath: string;
}

/** An OSF condition the watch/report code turns into a mail (DESIGN 7, 8). */
export interface OsfAlert {
  condition: 'osf-auth' | 'osf-quota' | 'osf-failing';
  message: string;
}

/** What one drainOutbox() run did: uploads done now, entries still waiting, uploads that failed in this run. */
export interface DrainResult {
  uploaded: string[];
  pending: number;
  failed: number;
  alerts: OsfAlert[];
}

/** A pending upload as kept in `<state>/outbox/` (ISO times). */
export interface OutboxEntry {
  remotePath: string;
  localPath: string;
  enqueuedAt: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  firstFailureAt: string | null;
}

/** The outbox as the report, status and watch code see it. */
export interface OutboxStatus {
  pending: OutboxEntry[];
  /** Entries with attempts > 0. */
  failing: OutboxEntry[];
  oldestFailureAt: string | null;
  lastAlert: OsfAlert | null;
}
