/** The request an UploadResponse answers: create by name, list the target folder, or version an existing file. */
export type UploadStep = 'create' | 'list' | 'new-version';

/** What the client saw for one WaterButler request; status 0 means no HTTP answer (network error, timeout). */
export interface UploadResponse {
  step: UploadStep;
  status: number;
  /**
   * sha256 and upload link of the file entity in the body (201/200, or the existing file in a 409), or of
   * the file of that name in a folder listing (step 'list').
   */
  entity: { sha256: string | null; uploadUrl: string | null } | null;
  /** From a Retry-After header, if any. */
  retryAfterMs: number | null;
}

/** An OSF condition that stops blind retrying: the token or the project's quota needs a person. */
export type OsfBlockingCondition = 'osf-auth' | 'osf-quota';

/** The next step of one upload. */
export type UploadPlan =
  | { action: 'create' }
  | { action: 'list' }
  | { action: 'new-version'; uploadUrl: string }
  | { action: 'done' }
  | { action: 'retry'; reason: string; retryAfterMs: number | null }
  | { action: 'alert'; condition: OsfBlockingCondition; reason: string };

/** The plans that end an upload attempt without success. */
export type FailurePlan = Extract<UploadPlan, { action: 'retry' | 'alert' }>;

/** Failure plan for any unsuccessful WaterButler status: alert on auth and quota, retry everything else. */
export function classifyFailure(response: Pick<UploadResponse, 'status' | 'retryAfterMs'>): FailurePlan {
  const { status, retryAfterMs } = response;
  if (status === 401 || status === 403) {
    return {
      action: 'alert',
      condition: 'osf-auth',
      reason: `OSF refused the token (HTTP ${status}): check the token in 'osf.token_file' (scope osf.full_write) and 'osf.project_id'`,
    };
  }
  if (status === 507) {
    return {
      action: 'alert',
      condition: 'osf-quota',
      reason: 'OSF storage quota exceeded (HTTP 507): free space in the OSF project or ask OSF for a larger quota',
    };
  }
  if (status === 0) return { action: 'retry', reason: 'no answer from OSF', retryAfterMs: null };
  return { action: 'retry', reason: `OSF answered HTTP ${status}`, retryAfterMs };
}

/**
 * Decides the next step of an upload from the last response, DESIGN 7: nothing yet -> create; 409 with the
 * existing file -> new version at its upload link; 201/200 -> done only if OSF's sha256 equals ours.
 * A create that got no answer (OSF may reset the connection instead of answering 409 for an existing name,
 * or the 201 was lost) is followed by one listing of the target folder: the file found there gets a new
 * version, so a name is never created twice.
 */
export function planUpload(localSha256: string, response: UploadResponse | null): UploadPlan {
  if (response === null) return { action: 'create' };
  const { step, status, entity } = response;
  if (step === 'create' && status === 0) return { action: 'list' };
  if (step === 'list' && status === 200) {
    if (entity?.uploadUrl) return { action: 'new-version', uploadUrl: entity.uploadUrl };
    return { action: 'retry', reason: 'no answer from OSF to creating the file, and its folder does not list it', retryAfterMs: null };
  }
  if (status === 200 || status === 201) {
    const remote = entity?.sha256 ?? null;
    if (remote === localSha256) return { action: 'done' };
    return {
      action: 'retry',
      reason: `sha256 mismatch after upload: local ${localSha256}, OSF ${remote ?? 'none'}`,
      retryAfterMs: null,
    };
  }
  if (status === 409) {
    if (entity?.uploadUrl) return { action: 'new-version', uploadUrl: entity.uploadUrl };
    return { action: 'retry', reason: 'OSF reported a name conflict without the existing file', retryAfterMs: null };
  }
  return classifyFailure(response);
}
